/** The PrivateLink endpoint service: only Databricks' serverless role may connect, and only once accepted. */
import { validateResourceOfType } from "@pulumi/policy";
import { VpcEndpointService, VpcEndpointServiceAllowedPrinciple } from "@pulumi/aws/ec2";
import { type MandatoryPolicy, subject, validateResourceOfTypes } from "./lib";

export const endpointServiceAcceptanceRequired: MandatoryPolicy = {
  name: "endpoint-service-acceptance-required",
  description: "VPC endpoint services require acceptance of each endpoint connection.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Set acceptanceRequired: true; the program accepts the Databricks endpoint with a VpcEndpointConnectionAccepter.",
  validateResource: validateResourceOfType(VpcEndpointService, (service, args, reportViolation) => {
    if (service.acceptanceRequired !== true) {
      reportViolation(
        `${subject(args)}: acceptanceRequired is ${JSON.stringify(service.acceptanceRequired)}, so any allowed principal's endpoint connects unreviewed. ` +
          `Fix: set acceptanceRequired: true (the Databricks endpoint is accepted explicitly by a VpcEndpointConnectionAccepter).`,
      );
    }
  }),
};

const WILDCARD_FIX = `Fix: allow only the Databricks serverless role of the region (arn:aws:iam::<account>:role/private-connectivity-role-<region>).`;

export const endpointServiceNoWildcardPrincipal: MandatoryPolicy = {
  name: "endpoint-service-no-wildcard-principal",
  description: 'VPC endpoint services allow named principals only, never "*".',
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: 'Replace "*" with the Databricks serverless principal ARN of the region.',
  validateResource: validateResourceOfTypes(
    validateResourceOfType(VpcEndpointService, (service, args, reportViolation) => {
      if ((service.allowedPrincipals ?? []).some((p) => String(p).trim() === "*")) {
        reportViolation(
          `${subject(args)}: allowedPrincipals contains "*", so every AWS account may create an endpoint to the proxies. ${WILDCARD_FIX}`,
        );
      }
    }),
    validateResourceOfType(VpcEndpointServiceAllowedPrinciple, (permission, args, reportViolation) => {
      if (String(permission.principalArn).trim() === "*") {
        reportViolation(
          `${subject(args)}: principalArn is "*", so every AWS account may create an endpoint to the proxies. ${WILDCARD_FIX}`,
        );
      }
    }),
  ),
};
