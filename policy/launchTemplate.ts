/** Proxy instances answer only IMDSv2 (session-token) metadata requests. */
import { validateResourceOfType } from "@pulumi/policy";
import { LaunchTemplate } from "@pulumi/aws/ec2";
import { type MandatoryPolicy, subject } from "./lib";

export const launchTemplateImdsV2: MandatoryPolicy = {
  name: "launch-template-imdsv2",
  description: 'Launch templates require IMDSv2 (metadataOptions.httpTokens "required").',
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    'Set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 }.',
  validateResource: validateResourceOfType(LaunchTemplate, (template, args, reportViolation) => {
    const tokens = template.metadataOptions?.httpTokens;
    if (tokens !== "required") {
      reportViolation(
        `${subject(args)}: metadataOptions.httpTokens is ${JSON.stringify(tokens)}, so instances also answer IMDSv1 requests (SSRF can read the role's credentials). ` +
          `Fix: set metadataOptions.httpTokens to "required".`,
      );
    }
  }),
};
