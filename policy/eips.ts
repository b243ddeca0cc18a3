/** Pool EIPs are the Azure firewall's allow list: losing one silently cuts a proxy off. */
import { validateResourceOfType } from "@pulumi/policy";
import { Eip } from "@pulumi/aws/ec2";
import { type MandatoryPolicy, subject } from "./lib";

export const eipProtected: MandatoryPolicy = {
  name: "eip-protected",
  description: "Elastic IPs (the egress pool allow-listed in Azure) are created with the protect resource option.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Create the Eip with { protect: true } (EipPool does); release an address only deliberately, after removing it from the Azure allow list.",
  validateResource: validateResourceOfType(Eip, (_eip, args, reportViolation) => {
    if (args.opts.protect !== true) {
      reportViolation(
        `${subject(args)}: the Elastic IP is not protected, so a rename or refactor could release it and a new address would not be on the Azure allow list. ` +
          `Fix: create it with the resource option { protect: true }.`,
      );
    }
  }),
};
