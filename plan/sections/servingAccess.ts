/**
 * Plan section: who may call the serving endpoint and how much, read back from the registered
 * endpoint (its AI Gateway input) and its Permissions resource, so the plan shows what is deployed.
 */
import type { Plan } from "../run";
import { TYPES as T } from "../resourceTypes";

interface GatewayInput {
  usageTrackingConfig?: { enabled?: boolean };
  rateLimits?: { key?: string; tokens?: number; calls?: number }[];
  inferenceTableConfig?: { catalogName?: string; schemaName?: string; tableNamePrefix?: string };
}

const perMinute = (limits: GatewayInput["rateLimits"], key: string) => {
  const mine = (limits ?? []).filter((l) => l.key === key);
  const parts = [
    ...mine.filter((l) => l.tokens).map((l) => `${l.tokens!.toLocaleString("en-US")} tokens`),
    ...mine.filter((l) => l.calls).map((l) => `${l.calls!.toLocaleString("en-US")} calls`),
  ];
  return parts.length ? `${parts.join(", ")} per minute` : "no limit";
};

export function servingAccessSection(plan: Plan): string {
  const endpoint = plan.recorded.find((r) => r.type === T.serving);
  if (!endpoint) return "";
  const gateway = (endpoint.inputs.aiGateway ?? {}) as GatewayInput;
  const acl = plan.recorded.find((r) => r.type === T.permissions);
  const controls = (acl?.inputs.accessControls ?? []) as { groupName?: string; permissionLevel?: string }[];
  const table = gateway.inferenceTableConfig;
  const lines = [`Serving endpoint access (${String(endpoint.inputs.name)})`];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(30)} ${value}`);
  row(
    "may query",
    acl
      ? controls.map((c) => `${c.groupName} (${c.permissionLevel})`).join(", ") +
          "; the program owns the ACL (hand-made grants are reset)"
      : "not managed here (databricks.servingEndpoint.queryGroups unset): whatever the workspace grants",
  );
  row("rate limit, each user", perMinute(gateway.rateLimits, "user"));
  row("rate limit, whole endpoint", perMinute(gateway.rateLimits, "endpoint"));
  row("usage tracking", gateway.usageTrackingConfig?.enabled ? "on (system.serving.endpoint_usage)" : "off");
  row(
    "inference table",
    table
      ? `${table.catalogName}.${table.schemaName}.${table.tableNamePrefix ?? String(endpoint.inputs.name)}_payload (prompts and answers)`
      : "off (databricks.servingEndpoint.inferenceTable unset)",
  );
  return lines.join("\n");
}
