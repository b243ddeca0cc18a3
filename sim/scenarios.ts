/** The scenarios every stack is simulated under (times in seconds; faults start after 5 min of steady state). */
import type { FleetParams } from "./params";
import type { ScenarioSpec } from "./fleet";

const FAULT_AT = 300;

/** A dependency down from FAULT_AT for `seconds`; the fault window judged is that same span. */
function outage(dependency: "azureDown" | "dnsDown", seconds: number): Partial<ScenarioSpec> {
  const span: [number, number] = [FAULT_AT, FAULT_AT + seconds];
  return { [dependency]: span, faultWindow: span };
}

export function scenarios(p: FleetParams): ScenarioSpec[] {
  const burst = 20;
  return [
    {
      name: "azure-outage",
      title: "Azure OpenAI unreachable for 10 min",
      durationSeconds: 3600,
      seed: 11,
      ...outage("azureDown", 600),
    },
    {
      name: "dns-failure",
      title: "DNS failing for 2 min",
      durationSeconds: 1800,
      seed: 12,
      ...outage("dnsDown", 120),
    },
    {
      name: "az-lost",
      title: "one AZ lost",
      durationSeconds: 3600,
      seed: 13,
      azLostAt: { az: 0, at: FAULT_AT },
      faultWindow: [FAULT_AT, 3600],
    },
    {
      name: "haproxy-dies",
      title: "HAProxy dies on one proxy",
      durationSeconds: 1800,
      seed: 14,
      haproxyDiesAt: FAULT_AT,
      faultWindow: [FAULT_AT, 1800],
    },
    {
      name: "instance-refresh",
      title: "instance refresh (new template)",
      durationSeconds: 5400,
      seed: 15,
      refreshAt: FAULT_AT,
    },
    {
      name: "max-lifetime",
      title: "fleet reaches its maximum lifetime",
      durationSeconds: 5400,
      seed: 16,
      agedToLifetimeMinus: FAULT_AT,
    },
    {
      name: "scale-out",
      title: `scale from min (${p.minSize}) to max (${p.maxSize})`,
      durationSeconds: 2400,
      seed: 17,
      scaleTo: { at: FAULT_AT, desired: p.maxSize },
    },
    {
      name: "burst-20",
      title: `burst of ${burst} launches, pending 5–40 s (group and pool sized for it)`,
      durationSeconds: 2400,
      seed: 18,
      pendingSeconds: [5, 40],
      notFoundSeconds: [0, 5],
      groupOverride: { maxSize: p.desiredCapacity + burst, poolSize: p.desiredCapacity + burst + 2 },
      scaleTo: { at: FAULT_AT, desired: p.desiredCapacity + burst },
    },
  ];
}
