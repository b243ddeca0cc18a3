/** Renders an offline plan: a readable summary for people and the documented JSON for machines. */
import type { Plan } from "./run";
import { isSecretWire } from "./run";
import { traceWiring, type WiringLink } from "./wiring";
import { preflightSection } from "./sections/preflight";
import { effectiveConfigSection } from "./sections/effectiveConfig";
import { costSection } from "./sections/cost";
import { capacitySection, capacitySummary } from "./sections/capacity";
import { permissionsSection } from "./sections/permissions";
import { servingAccessSection } from "./sections/servingAccess";
import { availabilityZonesSection, chosenZones } from "./sections/availabilityZones";
import { lifecycleOf, lifecycleSection } from "./sections/lifecycle";

const CLOUDS: { label: string; match: (type: string) => boolean }[] = [
  { label: "Components", match: (t) => t.startsWith("dbx-aoai-link:") },
  { label: "AWS", match: (t) => t.startsWith("aws:") },
  { label: "Azure", match: (t) => t.startsWith("azure-native:") },
  { label: "Databricks", match: (t) => t.startsWith("databricks:") || t === "pulumi:providers:databricks" },
  { label: "Other", match: () => true },
];

export function wiringOf(plan: Plan): WiringLink[] {
  return traceWiring(plan.recorded, plan.config.awsRegion, isSecretWire, plan.config.azure.extraAllowedIps);
}

/** The JSON of "The offline plan" in docs/architecture.md, plus the traced wiring. */
export function planJson(plan: Plan): object {
  return {
    stack: plan.stack,
    mode: plan.mode,
    resources: plan.resources,
    outputs: plan.outputs,
    wiring: wiringOf(plan),
    preview: plan.preview,
    warnings: plan.warnings,
    capacity: capacitySummary(plan),
    availabilityZones: chosenZones(plan),
    aliases: plan.aliases,
    lifecycle: lifecycleOf(plan.recorded),
  };
}

function show(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "(not set)");
  return text.length > 110 ? `${text.slice(0, 107)}...` : text;
}

export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  const custom = plan.recorded.filter((r) => r.custom);
  lines.push(
    `Offline plan for stack "${plan.stack}" (Pulumi.${plan.stack}.yaml): ${custom.length} resources in ${plan.recorded.length - custom.length} components`,
  );
  lines.push(
    `AWS ${plan.config.awsRegion} · Azure ${plan.config.azureLocation} · Databricks account ${plan.config.databricks.accountId}`,
  );
  lines.push(
    "Run as `pulumi preview`/`pulumi up` run it: Pulumi's program host (@pulumi/pulumi/cmd/run) against the offline engine, no credentials.",
    `  preview: the program completed with computed values unknown and registered ${plan.preview.resources} resources and components` +
      (plan.preview.sameResourcesAsUpdate
        ? " (the same set as the update)"
        : ` (differs from the update: only in preview ${plan.preview.onlyInPreview.join(", ") || "-"}; only in update ${plan.preview.onlyInUpdate.join(", ") || "-"})`),
    plan.preview.unknownOutputs.length
      ? `           outputs unknown until \`pulumi up\`: ${plan.preview.unknownOutputs.join(", ")}`
      : "           every output known at preview",
    "  update:  everything below; computed values (ids, addresses, ARNs) are invented, deterministic stand-ins.",
  );

  const seen = new Set<string>();
  for (const cloud of CLOUDS) {
    const group = plan.recorded.filter((r) => !seen.has(r.urn) && cloud.match(r.type));
    group.forEach((r) => seen.add(r.urn));
    if (group.length === 0) continue;
    lines.push("", `${cloud.label} (${group.length})`);
    const byType = new Map<string, string[]>();
    for (const r of group) byType.set(r.type, [...(byType.get(r.type) ?? []), r.name]);
    for (const [type, names] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
      const shown =
        names.length > 4 ? `${names.slice(0, 3).join(", ")}, ... (${names.length - 3} more)` : names.join(", ");
      lines.push(`  ${String(names.length).padStart(3)} × ${type.padEnd(72)} ${shown}`);
    }
  }

  lines.push("", effectiveConfigSection(plan));
  const zones = availabilityZonesSection(plan);
  if (zones) lines.push("", zones);

  lines.push("", "Cross-cloud wiring");
  for (const link of wiringOf(plan)) {
    lines.push(`  ${link.ok ? "✔" : "✘"} ${link.from} → ${link.to}`, `      ${show(link.value)}`);
  }

  const inlinePolicies = plan.recorded.filter((r) => r.type === "aws:iam/rolePolicy:RolePolicy");
  if (inlinePolicies.length > 0) lines.push("", "IAM (inline role policies: what each statement may do, and on what)");
  for (const policy of inlinePolicies) {
    const statements = (
      JSON.parse(String(policy.inputs.policy)) as {
        Statement: { Sid?: string; Action: string[]; Resource: string | string[]; Condition?: object }[];
      }
    ).Statement;
    lines.push(`  ${policy.name}`);
    for (const st of statements) {
      const resources = ([] as string[]).concat(st.Resource);
      const where = resources.length > 2 ? `${resources[0]} … (${resources.length} resources)` : resources.join(", ");
      lines.push(`    ${st.Action.join(", ")} on ${where}${st.Condition ? ` if ${JSON.stringify(st.Condition)}` : ""}`);
    }
  }

  const servingAccess = servingAccessSection(plan);
  if (servingAccess) lines.push("", servingAccess);

  const preflight = preflightSection(plan);
  if (preflight) lines.push("", preflight);
  const lifecycle = lifecycleSection(plan);
  if (lifecycle) lines.push("", lifecycle);

  lines.push("", costSection(plan));
  lines.push("", capacitySection(plan));
  lines.push("", permissionsSection(plan));

  lines.push("", "Outputs");
  for (const [k, v] of Object.entries(plan.outputs)) lines.push(`  ${k.padEnd(24)} ${show(v)}`);

  lines.push("", `Warnings (${plan.warnings.length})`);
  for (const w of plan.warnings) lines.push(`  ! ${w}`);
  if (plan.warnings.length === 0) lines.push("  none");

  const t = plan.timings;
  lines.push(
    "",
    `Planned in ${(t.totalMs / 1000).toFixed(1)} s (preview ${(t.previewMs / 1000).toFixed(1)} s and update ${(t.updateMs / 1000).toFixed(1)} s, run side by side).`,
  );
  return lines.join("\n") + "\n";
}
