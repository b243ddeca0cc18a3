/**
 * Who may hold an ACL on the serving endpoint's secret scope, and how a scope's actual ACL list is
 * judged against that. Pure: the program declares the ACL from it, the policy pack and `verify` judge
 * with it.
 *
 * How Databricks secret ACLs behave (docs read 2026-12-01):
 * - Creating a scope without `initial_manage_principal` gives MANAGE to the API caller; the only other
 *   value the API accepts is `users`, every workspace user (Secrets API "Create a new secret scope";
 *   databricks/terraform-provider-databricks issue #322). The program never sets it.
 * - Workspace admins can read every secret whatever the ACL says; secret creators and granted
 *   principals can too (docs.databricks.com/aws/en/security/secrets/workspace-secret-scopes).
 * - "The endpoint creator must have READ access to the Databricks secrets being referenced"
 *   (docs.databricks.com/machine-learning/model-serving/store-env-variable-model-serving).
 * - For a service principal, the principal name is its application id, the `userName` that
 *   `databricks_current_user` returns for it (terraform-provider-databricks docs, secret_acl).
 * So exactly one principal needs the scope: the identity that runs `pulumi up`, which creates the
 * scope, its secrets and the endpoint. It keeps MANAGE (it must be able to rotate the key); nobody
 * else is granted anything.
 */

export type SecretPermission = "READ" | "WRITE" | "MANAGE";

export interface SecretAclEntry {
  readonly principal: string;
  readonly permission: string;
}

/** Groups that hold every workspace user: a grant to one of them lets anyone print the key. */
export const WORKSPACE_WIDE_GROUPS: readonly string[] = ["users", "account users"];

/** Workspace admins read every secret regardless of ACLs, so an `admins` entry grants nothing new. */
export const ADMINS_GROUP = "admins";

/** The permission the deploy identity keeps on the scope (it writes and rotates the secrets). */
export const DEPLOY_IDENTITY_PERMISSION: SecretPermission = "MANAGE";

/** The scope's one ACL entry as the program declares it: the deploy identity, and no one else. */
export function declaredScopeAcl(deployIdentity: string): SecretAclEntry {
  return { principal: deployIdentity, permission: DEPLOY_IDENTITY_PERMISSION };
}

/** Whether a principal names a group of every workspace user (case-insensitive, as Databricks group names are). */
export function isWorkspaceWide(principal: string): boolean {
  return WORKSPACE_WIDE_GROUPS.includes(principal.trim().toLowerCase());
}

/**
 * The entries of an actual ACL list that the program did not declare: drift added by hand. `admins`
 * is tolerated (it already reads everything); a workspace-wide group is never tolerated, even when
 * declared.
 */
export function undeclaredAcls(
  actual: readonly SecretAclEntry[],
  declaredPrincipals: readonly string[],
): SecretAclEntry[] {
  return actual.filter(
    (entry) =>
      isWorkspaceWide(entry.principal) ||
      (entry.principal !== ADMINS_GROUP && !declaredPrincipals.includes(entry.principal)),
  );
}
