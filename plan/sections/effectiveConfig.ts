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

/** The registered inputs of the Azure account named `name` (the primary by default). */
function accountInputs(plan: Plan, name = plan.config.azure.accountName): Json | undefined {
  return plan.recorded.find((r) => r.type === T.account && (r.inputs as Json).accountName === name)?.inputs as
    Json | undefined;
}

/**
 * Each firewall rule of one Azure account (the primary by default) with where it comes from: the EIP
 * pool or operator addresses (extraAllowedIps).
 */
export function labelledIpRules(
  plan: Plan,
  accountName?: string,
): { value: string; source: "pool" | "operator" | "unexplained" }[] {
  const rules = (accountInputs(plan, accountName)?.properties?.networkAcls?.ipRules ?? []) as { value: string }[];
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

  // Every account's firewall is read back; identical ones (the pool on every account) are shown once.
  const several = azure.accounts.length > 1;
  const firewalls = azure.accounts.map((a) => ({
    name: a.name,
    defaultAction: accountInputs(plan, a.name)?.properties?.networkAcls?.defaultAction ?? "(not set)",
    rules: labelledIpRules(plan, a.name),
  }));
  const same = firewalls.every(
    (f) => JSON.stringify({ ...f, name: "" }) === JSON.stringify({ ...firewalls[0], name: "" }),
  );
  for (const f of same ? firewalls.slice(0, 1) : firewalls) {
    row(
      "Azure firewall",
      `${same ? "" : `${f.name}: `}default ${f.defaultAction}, ${f.rules.length} IP rules (limit 100)${same && several ? ", the same on every account" : ""}`,
    );
    for (const rule of f.rules)
      row(
        "",
        `${rule.value.padEnd(18)} ${rule.source === "pool" ? "pool EIP" : rule.source === "operator" ? "operator (azure.extraAllowedIps)" : "NOT FROM CONFIG"}`,
      );
  }
  // One account: its location is the header row's; several: each line says where its account is.
  for (const a of azure.accounts) {
    row(
      "Azure account",
      `${a.name} in ${a.resourceGroupName}${several ? `, ${a.location}` : ""} (${a.existingResourceGroup ? "existing" : "created"} resource group)`,
    );
    for (const d of a.deployments) {
      row(
        `  model ${d.name}`,
        `${d.model} ${d.version}, ${d.sku} × ${d.capacity}k TPM, upgrade ${d.versionUpgradeOption}`,
      );
    }
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
      ? `${dbx.servingEndpoint.name} → deployment ${dbx.servingEndpoint.deployment}${several ? ` of ${dbx.servingEndpoint.account}` : ""} (${dbx.servingEndpoint.workspaceUrl})`
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
