/**
 * The Azure OpenAI key's secret scope stays readable by the deploy identity (and workspace admins,
 * who read every secret anyway) only: databricks/secretScopeAcl.ts says why.
 */
import { validateResourceOfType } from "@pulumi/policy";
import { SecretAcl, SecretScope } from "@pulumi/databricks";
import { DEPLOY_IDENTITY_PERMISSION, isWorkspaceWide } from "../databricks/secretScopeAcl";
import { type MandatoryPolicy, subject, validateResourceOfTypes } from "./lib";

export const secretScopeAclPinned: MandatoryPolicy = {
  name: "secret-scope-acl-pinned",
  description:
    "No secret ACL or scope grants anything to a group of every workspace user (users, account users); the only ACL declared is the deploy identity's MANAGE.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Remove the grant. Callers use the serving endpoint (CAN_QUERY on it), never the key; a job that needs the key gets its own scope.",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(SecretAcl, (acl, args, reportViolation) => {
      const grant = `grants ${acl.permission} on scope "${acl.scope}" to "${acl.principal}"`;
      if (typeof acl.principal === "string" && isWorkspaceWide(acl.principal)) {
        reportViolation(
          `${subject(args)}: ${grant}, a group of every workspace user, so anyone in the workspace can print the key with dbutils.secrets.get. ` +
            "Fix: remove this ACL; users call the serving endpoint instead.",
        );
      } else if (acl.permission !== DEPLOY_IDENTITY_PERMISSION) {
        // The program declares one entry: the deploy identity with MANAGE. A READ or WRITE grant is
        // therefore a principal the program does not declare.
        reportViolation(
          `${subject(args)}: ${grant}, a principal other than the deploy identity (the only one declared, with ${DEPLOY_IDENTITY_PERMISSION}). ` +
            "Fix: remove this ACL; a job that needs Azure OpenAI calls the serving endpoint, or gets its own scope and key.",
        );
      }
    }),
    validateResourceOfType(SecretScope, (scope, args, reportViolation) => {
      if (scope.initialManagePrincipal !== undefined && scope.initialManagePrincipal !== "") {
        reportViolation(
          `${subject(args)}: initialManagePrincipal is "${scope.initialManagePrincipal}", which gives MANAGE on the scope to ` +
            "every workspace user (the only value the API accepts). Fix: leave initialManagePrincipal unset, so only the creator holds MANAGE.",
        );
      }
    }),
  ),
};
