/** Reads `databricks.existingNccId` and `databricks.existingNetworkPolicyId`: account objects adopted, not created. */
import type { IssueCollector } from "./issues";
import { configKey } from "./keys";
import { UUID } from "./patterns";

/** Databricks network policy ids: `^[a-zA-Z0-9_.-]{1,32}$`. */
const POLICY_ID = /^[a-zA-Z0-9_.-]{1,32}$/;

/** Undefined when invalid; `{}` when neither key is set. */
export function readExistingDatabricks(
  c: IssueCollector,
  o: Record<string, unknown>,
): { existingNccId?: string; existingNetworkPolicyId?: string } | undefined {
  const before = c.issues.length;
  const existingNccId = c.string(configKey("databricks", "existingNccId"), o.existingNccId, {
    pattern: UUID,
    describe: "an NCC id (a UUID)",
    fix: "copy the id from the account console (Security → Network connectivity configurations), or remove the key to create our own NCC",
  });
  const existingNetworkPolicyId = c.string(
    configKey("databricks", "existingNetworkPolicyId"),
    o.existingNetworkPolicyId,
    {
      pattern: POLICY_ID,
      describe: "a network policy id (1-32 letters, digits, _ . -)",
      fix: "copy the policy id from the account console (Security → Network policies), or remove the key to create our own policy",
    },
  );
  if (c.issues.length > before) return undefined;
  return {
    ...(existingNccId ? { existingNccId } : {}),
    ...(existingNetworkPolicyId ? { existingNetworkPolicyId } : {}),
  };
}
