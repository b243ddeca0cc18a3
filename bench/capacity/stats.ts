/** Arithmetic and layout of the capacity benchmark's results (pure, tested in test/bench-capacity.spec.ts). */

/** Least-squares line y = intercept + slope·x through the points; needs two distinct x. */
export function fitLine(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  if (!(sxx > 0)) throw new Error("fitLine needs points at two different x at least");
  const slope = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0) / sxx;
  return { slope, intercept: my - slope * mx };
}

/** A Markdown table whose columns are padded to their widest cell. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (r: readonly string[]) => `| ${widths.map((w, i) => (r[i] ?? "").padEnd(w)).join(" | ")} |`;
  return [line(header), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.map(line)].join("\n");
}

/** `value ÷ base` to two decimals, or "–" when there is no base. */
export function ratio(value: number, base: number | undefined): string {
  return base && Number.isFinite(base) && base > 0 ? (value / base).toFixed(2) : "–";
}
