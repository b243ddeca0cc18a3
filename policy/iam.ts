/** Least privilege: no IAM statement allows every action. */
import { validateResourceOfType } from "@pulumi/policy";
import { Policy, Role, RolePolicy } from "@pulumi/aws/iam";
import { type MandatoryPolicy, subject, validateResourceOfTypes, wildcardGrants } from "./lib";

const FIX = `Fix: list the actions the principal needs (e.g. "ec2:AssociateAddress"), scoped to its resources.`;

function report(
  args: { type: string; name: string },
  where: string,
  document: unknown,
  reportViolation: (m: string) => void,
): void {
  for (const grant of wildcardGrants(document)) {
    reportViolation(
      `${subject(args)}: ${where} ${grant.startsWith("a document") ? `is ${grant}` : `${grant} allows Action "*"`}. ${FIX}`,
    );
  }
}

export const iamNoWildcardAction: MandatoryPolicy = {
  name: "iam-no-wildcard-action",
  description: 'No IAM policy statement (RolePolicy, Policy, Role inline or trust policy) allows Action "*".',
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: 'Replace Action "*" with the specific actions needed.',
  validateResource: validateResourceOfTypes(
    validateResourceOfType(RolePolicy, (policy, args, reportViolation) =>
      report(args, "policy", policy.policy, reportViolation),
    ),
    validateResourceOfType(Policy, (policy, args, reportViolation) =>
      report(args, "policy", policy.policy, reportViolation),
    ),
    validateResourceOfType(Role, (role, args, reportViolation) => {
      report(args, "assumeRolePolicy", role.assumeRolePolicy, reportViolation);
      (role.inlinePolicies ?? []).forEach((inline, i) =>
        report(args, `inlinePolicies[${i}]${inline.name ? ` ("${inline.name}")` : ""}`, inline.policy, reportViolation),
      );
    }),
  ),
};
