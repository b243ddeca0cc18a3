/** The simulation's outputs: the per-scenario table (markdown) and a timeline picture per scenario (SVG). */
import type { ScenarioResult } from "./fleet";

const seconds = (s: number | undefined) => (s === undefined ? "–" : `${Math.round(s)} s`);
const minutes = (m: number) => m.toFixed(1);

export const TABLE_HEADER = [
  "scenario",
  "replaced",
  "retired",
  "abandoned",
  "failed invocations",
  "min no healthy target",
  "min < minSize healthy",
  "min < minSize in service",
  "addresses leaked / stolen",
  "launch→in service p50 / max",
  "recovery after fault",
];

export function tableRow(label: string, r: ScenarioResult): string[] {
  return [
    label,
    String(r.replaced),
    String(r.retired),
    String(r.abandoned),
    String(r.failedInvocations),
    minutes(r.minutesNoHealthyTarget),
    minutes(r.minutesBelowMinHealthy),
    minutes(r.minutesBelowMinSize),
    `${r.addressesLeaked} / ${r.addressesStolen}`,
    `${seconds(r.launchToInServiceP50)} / ${seconds(r.launchToInServiceMax)}`,
    r.scenario.faultWindow && r.scenario.faultWindow[1] < r.scenario.durationSeconds ? seconds(r.recoverySeconds) : "–",
  ];
}

export function markdownTable(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`, ...rows.map(line)].join(
    "\n",
  );
}

/** Healthy targets, in-service instances and free pool addresses over time; the fault window shaded. */
export function timelineSvg(r: ScenarioResult, title: string): string {
  const [w, h, left, top, bottom] = [720, 260, 40, 30, 30];
  const end = r.scenario.durationSeconds;
  const yMax = Math.max(1, ...r.timeline.flatMap((p) => [p.healthyTargets, p.inService, p.freeAddresses])) + 1;
  const x = (t: number) => left + ((w - left - 10) * t) / end;
  const y = (v: number) => top + (h - top - bottom) * (1 - v / yMax);
  const series: [keyof ScenarioResult["timeline"][number], string, string][] = [
    ["healthyTargets", "#2a9d3c", "healthy targets"],
    ["inService", "#1f5fbf", "in service"],
    ["freeAddresses", "#c77c02", "free pool addresses"],
  ];
  const path = (key: string) =>
    r.timeline.map((p, i) => `${i ? "L" : "M"}${x(p.t).toFixed(1)},${y(p[key as "t"]).toFixed(1)}`).join(" ");
  const shade = r.scenario.faultWindow
    ? `<rect x="${x(r.scenario.faultWindow[0]).toFixed(1)}" y="${top}" width="${Math.max(2, x(r.scenario.faultWindow[1]) - x(r.scenario.faultWindow[0])).toFixed(1)}" height="${h - top - bottom}" fill="#e63946" fill-opacity="0.15"/>`
    : "";
  const ticks = Array.from({ length: Math.floor(end / 600) + 1 }, (_, i) => i * 600)
    .map((t) => `<text x="${x(t).toFixed(1)}" y="${h - 10}" font-size="10" text-anchor="middle">${t / 60} min</text>`)
    .join("");
  const yTicks = Array.from({ length: yMax + 1 }, (_, v) => v)
    .filter((v) => yMax <= 12 || v % 5 === 0)
    .map((v) => `<text x="${left - 6}" y="${(y(v) + 3).toFixed(1)}" font-size="10" text-anchor="end">${v}</text>`)
    .join("");
  const legend = series
    .map(
      ([, color, label], i) =>
        `<text x="${left + 10 + i * 170}" y="${top - 10}" font-size="11" fill="${color}">■ ${label}</text>`,
    )
    .join("");
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h + 20}" font-family="sans-serif">
<text x="${left}" y="14" font-size="12" font-weight="bold">${escapeXml(title)}</text>
${legend}
${shade}
<line x1="${left}" y1="${h - bottom}" x2="${w - 10}" y2="${h - bottom}" stroke="#999"/>
${ticks}${yTicks}
${series.map(([key, color]) => `<path d="${path(key)}" fill="none" stroke="${color}" stroke-width="2"/>`).join("\n")}
</svg>
`;
}

function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
