/**
 * Plan section: the effective configuration, i.e. every setting that changes what is deployed or who
 * can reach what, after defaults, and read back from the registered resources where the program
 * derives it (Azure ipRules, subnets, protection), so a change to the stack file always shows here.
 */
import type { Plan } from "../run";
import { TYPES as T } from "../resourceTypes";
import { architectureOf } from "../../aws/ami";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any shape
type Json = Record<string, any>;

const list = (items: readonly string[]) => (items.length === 0 ? "(none)" : items.join(", "));

/** Each Azure firewall rule with where it comes from: the EIP pool or operator addresses (extraAllowedIps). */
export function labelledIpRules(plan: Plan): { value: string; source: "pool" | "operator" | "unexplained" }[] {
  const account = plan.recorded.find((r) => r.type === T.account);
  const rules = ((account?.inputs as Json | undefined)?.properties?.networkAcls?.ipRules ?? []) as { value: string }[];
  const pool = new Set(plan.recorded.filter((r) => r.type === T.eip).map((r) => String(r.outputs.publicIp)));
  const operators = new Set(plan.config.azure.extraAllowedIps);
  return rules.map(({ value }) => ({
    value,
    source: pool.has(value) ? "pool" : operators.has(value) ? "operator" : "unexplained",
  }));
}

export function effectiveConfigSection(plan: Plan): string {
  const { config } = plan;
  const { proxy, azure, databricks: dbx } = config;
  const all = (type: string) => plan.recorded.filter((r) => r.type === type);
  const lines = ["Effective configuration (after defaults; what is deployed and who can reach what)"];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(30)} ${value}`);

  row("AWS region / Azure location", `${config.awsRegion} / ${config.azureLocation}`);
  row(
    "proxy instances",
    `${proxy.instanceType} (${architectureOf(proxy.instanceType)}), min ${proxy.minSize} / desired ${proxy.desiredCapacity} / max ${proxy.maxSize}`,
  );
  const scaling = plan.recorded.find((r) => r.type === T.scalingPolicy)?.inputs as Json | undefined;
  row(
    "autoscaling",
    scaling
      ? `target tracking, ${scaling.targetTrackingConfiguration?.targetValue} flows per proxy, ${proxy.minSize}..${proxy.maxSize}; desiredCapacity applies only when the group is created`
      : `off (minSize = maxSize): the group runs ${proxy.minSize}`,
  );
  const lifetime = (plan.recorded.find((r) => r.type === T.asg)?.inputs as Json | undefined)?.maxInstanceLifetime;
  row(
    "proxy lifetime",
    lifetime
      ? `${Number(lifetime) / 86_400} days, then replaced onto the current image`
      : "unlimited (no replacement by age)",
  );
  row("EIP pool", `${proxy.eipPoolSize} addresses, tag key ${proxy.eipTagKey}`);
  const existing = proxy.existingVpc;
  row(
    "VPC",
    existing
      ? `${existing.vpcId} (existing): public ${existing.publicSubnetIds.join(", ")}; private ${existing.privateSubnetIds.join(", ")}`
      : (proxy.vpcCidr ?? ""),
  );
  const subnets = all(T.subnet).map((s) => s.inputs as Json);
  for (const zone of [...new Set(subnets.map((s) => String(s.availabilityZone)))].sort()) {
    const inZone = subnets.filter((s) => s.availabilityZone === zone);
    row(
      `  ${zone}`,
      inZone
        .map((s) => `${String(s.tags?.Name ?? "").replace(/^.*-(public|private)-\d+$/, "$1")} ${s.cidrBlock}`)
        .join(", "),
    );
  }

  const rules = labelledIpRules(plan);
  const account = plan.recorded.find((r) => r.type === T.account)?.inputs as Json | undefined;
  row(
    "Azure firewall",
    `default ${account?.properties?.networkAcls?.defaultAction ?? "(not set)"}, ${rules.length} IP rules (limit 100)`,
  );
  for (const rule of rules)
    row(
      "",
      `${rule.value.padEnd(18)} ${rule.source === "pool" ? "pool EIP" : rule.source === "operator" ? "operator (azure.extraAllowedIps)" : "NOT FROM CONFIG"}`,
    );
  row(
    "Azure account",
    `${azure.accountName} in ${azure.resourceGroupName} (${azure.existingResourceGroup ? "existing" : "created"} resource group)`,
  );
  for (const d of azure.deployments) {
    row(
      `  model ${d.name}`,
      `${d.model} ${d.version}, ${d.sku} × ${d.capacity}k TPM, upgrade ${d.versionUpgradeOption}`,
    );
  }

  const policy = plan.recorded.find((r) => r.type === T.policy)?.inputs as Json | undefined;
  const destinations = ((policy?.egress?.networkAccess?.allowedInternetDestinations ?? []) as Json[]).map((d) =>
    String(d.destination),
  );
  row("Databricks account", `${dbx.accountId} (${dbx.shard}, ${dbx.accountHost})`);
  row("workspaces", list(dbx.workspaceIds));
  row(
    "serverless egress enforcement",
    policy?.egress?.networkAccess?.policyEnforcement?.enforcementMode ?? dbx.networkPolicy.enforcement,
  );
  row(
    "allowed internet destinations",
    `${list(destinations)}  (config: ${list(dbx.networkPolicy.allowedInternetDestinations)}; the rest: the private endpoint rule's names)`,
  );
  if (policy?.ingress)
    row("workspace public access", `${policy.ingress.publicAccess?.restrictionMode ?? JSON.stringify(policy.ingress)}`);
  row(
    "serving endpoint",
    dbx.servingEndpoint
      ? `${dbx.servingEndpoint.name} → deployment ${dbx.servingEndpoint.deployment} (${dbx.servingEndpoint.workspaceUrl})`
      : "(none)",
  );

  const eips = all(T.eip);
  const nlb = plan.recorded.find((r) => r.type === T.nlb)?.inputs as Json | undefined;
  row(
    "protection",
    `pool EIPs ${eips.length > 0 && eips.every((e) => e.protect) ? "protected" : "NOT all protected"}; NLB deletion protection ${nlb?.enableDeletionProtection ? "on" : "off"}; ` +
      `soft-deleted Azure account ${azure.restoreSoftDeleted ? "restored" : "not restored"}`,
  );
  row("alerts", `${list(config.alerts.emails)}${config.alerts.topicArn ? ` + ${config.alerts.topicArn}` : ""}`);
  return lines.join("\n");
}
