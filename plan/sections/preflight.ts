/** Plan section: the preflight checks the program ran (their reads were invoked) and the permissions they need. */
import type { Plan } from "../run";
import { PREFLIGHTS } from "../../preflight/registry";

export function preflightSection(plan: Plan): string {
  const invoked = new Set(plan.invokes.map((i) => i.token));
  const ran = PREFLIGHTS.filter((p) => p.reads.some((r) => invoked.has(r.invoke)));
  if (ran.length === 0) return "";
  const lines = ["Preflight checks (read at preview; a failing one stops the program before it allocates anything)"];
  for (const p of ran) {
    lines.push(`  ✔ ${p.name}: judges ${p.configKey}; passed against the mocked account`);
    for (const r of p.reads) lines.push(`      reads ${r.what} (${r.permission})`);
  }
  return lines.join("\n");
}
