/** Nothing is reachable from the internet: the proxies take traffic from the NLB only. */
import { validateResourceOfType } from "@pulumi/policy";
import { SecurityGroup, SecurityGroupRule } from "@pulumi/aws/ec2";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc";
import { isWholeInternet, type MandatoryPolicy, subject, validateResourceOfTypes } from "./lib";

const FIX =
  "Fix: allow the source security group (referencedSecurityGroupId / securityGroups / sourceSecurityGroupId) or the VPC CIDR instead.";

function open(cidrs: readonly (string | undefined)[] | undefined): string[] {
  return (cidrs ?? []).filter((c): c is string => typeof c === "string" && isWholeInternet(c));
}

export const noIngressFromInternet: MandatoryPolicy = {
  name: "security-group-no-internet-ingress",
  description:
    "No security group ingress from 0.0.0.0/0 or ::/0 (inline ingress, SecurityGroupRule, vpc.SecurityGroupIngressRule).",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Replace the 0.0.0.0/0 (or ::/0) source with a security group reference or the VPC CIDR.",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(SecurityGroup, (group, args, reportViolation) => {
      (group.ingress ?? []).forEach((rule, i) => {
        for (const cidr of [...open(rule.cidrBlocks), ...open(rule.ipv6CidrBlocks)]) {
          reportViolation(
            `${subject(args)}: inline ingress[${i}] (ports ${rule.fromPort}-${rule.toPort}) allows ${cidr}, the whole internet. ${FIX}`,
          );
        }
      });
    }),
    validateResourceOfType(SecurityGroupRule, (rule, args, reportViolation) => {
      if (rule.type !== "ingress") return;
      for (const cidr of [...open(rule.cidrBlocks), ...open(rule.ipv6CidrBlocks)]) {
        reportViolation(
          `${subject(args)}: ingress rule (ports ${rule.fromPort}-${rule.toPort}) allows ${cidr}, the whole internet. ${FIX}`,
        );
      }
    }),
    validateResourceOfType(SecurityGroupIngressRule, (rule, args, reportViolation) => {
      for (const cidr of open([rule.cidrIpv4, rule.cidrIpv6])) {
        reportViolation(
          `${subject(args)}: ingress rule (ports ${rule.fromPort}-${rule.toPort}) allows ${cidr}, the whole internet. ${FIX}`,
        );
      }
    }),
  ),
};
