/**
 * Judging what the account API says about the attachments: the NCC bound to each configured
 * workspace, the network policy attached to each, and no second private endpoint rule for our
 * endpoint service (the orphan a timed-out create leaves behind: terraform-provider-databricks #5292).
 * Pure; `verify.ts` reads the answers.
 */
import type { PrivateEndpointRule } from "../databricks/accountApi";
import type { CheckResult } from "./verifyReport";

export const ATTACHMENT_TITLES = {
  binding: (workspaceId: string) => `NCC is bound to workspace ${workspaceId}`,
  policy: (workspaceId: string) => `network policy is attached to workspace ${workspaceId}`,
  orphans: "no second private endpoint rule for the endpoint service",
} as const;

const text = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : undefined);
const field = (o: unknown, key: string) =>
  typeof o === "object" && o !== null ? (o as Record<string, unknown>)[key] : undefined;

/** `GET /api/2.0/accounts/{account}/workspaces/{id}`: `network_connectivity_config_id` must be our NCC. */
export function bindingCheck(workspaceId: string, workspace: unknown, nccId: string): CheckResult {
  const title = ATTACHMENT_TITLES.binding(workspaceId);
  const bound = text(field(workspace, "network_connectivity_config_id"));
  if (bound === nccId) return { status: "pass", title, details: [] };
  return {
    status: "fail",
    title,
    details: [
      `the workspace's NCC is ${bound ?? "none"}, not ${nccId}: serverless compute there does not use the rule`,
      "Run `pulumi up` (the program binds the NCC to every databricks.workspaceIds entry), or bind it in the account console.",
    ],
  };
}

/** `GET /api/2.0/accounts/{account}/workspaces/{id}/network`: `network_policy_id` must be ours. */
export function policyAttachmentCheck(workspaceId: string, option: unknown, policyId: string): CheckResult {
  const title = ATTACHMENT_TITLES.policy(workspaceId);
  const attached = text(field(option, "network_policy_id"));
  if (attached === policyId) return { status: "pass", title, details: [`policy ${policyId}`] };
  return {
    status: "fail",
    title,
    details: [
      `the workspace uses network policy ${attached ?? "none"}, not ${policyId}: its serverless egress is not restricted as configured`,
      "Run `pulumi up` (the program points every configured workspace at the policy).",
    ],
  };
}

/**
 * `GET .../private-endpoint-rules`: any other live rule for our endpoint service or our domain names is
 * an orphan of a create the provider gave up on; it never gets accepted and expires after 14 days.
 */
export function orphanRulesCheck(
  rules: readonly PrivateEndpointRule[],
  ours: PrivateEndpointRule,
  nccId: string,
): CheckResult {
  const domains = (r: PrivateEndpointRule) =>
    (typeof r.domain_names === "string" ? [r.domain_names] : [...(r.domain_names ?? [])]).map((d) => d.toLowerCase());
  const ourDomains = new Set(domains(ours));
  const others = rules.filter(
    (r) =>
      r.rule_id !== ours.rule_id &&
      !r.deactivated &&
      ((ours.endpoint_service && r.endpoint_service === ours.endpoint_service) ||
        domains(r).some((d) => ourDomains.has(d))),
  );
  const title = ATTACHMENT_TITLES.orphans;
  if (others.length === 0) return { status: "pass", title, details: [] };
  return {
    status: "fail",
    title,
    details: [
      ...others.map(
        (r) =>
          `rule ${r.rule_id} (${r.connection_state ?? "?"}) to ${r.endpoint_service ?? "?"} for [${domains(r).join(", ")}]`,
      ),
      "A rule create that timed out can finish in the backend after Pulumi gave up (provider issue #5292), leaving a rule " +
        "Pulumi does not manage. Delete it in the account console (Security → Network connectivity configurations → " +
        `${nccId} → Private endpoint rules), or adopt it instead of ours: \`pulumi import ` +
        `databricks:index/mwsNccPrivateEndpointRule:MwsNccPrivateEndpointRule <name> ${nccId}/<rule id>\`.`,
    ],
  };
}
