/** The plan's "Stream capacity" section: what one proxy and the whole group hold (aws/proxySizing.ts). */
import { PROXY_MAXCONN } from "../../aws/constants";
import { capacityWarnings, MEASURED_STREAM_COST, streamCapacity, type StreamCapacity } from "../../aws/proxySizing";
import type { Plan } from "../run";

export interface CapacitySummary {
  readonly instanceType: string;
  readonly perProxy?: number;
  readonly limitedBy?: StreamCapacity["limitedBy"];
  readonly groupAtMinSize?: number;
  readonly groupAtMaxSize?: number;
  readonly kibPerStream: number;
  readonly measuredOn: string;
  readonly warnings: string[];
}

/** The figures behind the section, also the `capacity` key of `--json`. */
export function capacitySummary(plan: Pick<Plan, "config">): CapacitySummary {
  const { instanceType, minSize, maxSize } = plan.config.proxy;
  const capacity = streamCapacity(instanceType);
  return {
    instanceType,
    ...(capacity && {
      perProxy: capacity.perProxy,
      limitedBy: capacity.limitedBy,
      groupAtMinSize: capacity.perProxy * minSize,
      groupAtMaxSize: capacity.perProxy * maxSize,
    }),
    kibPerStream: MEASURED_STREAM_COST.kibPerStream,
    measuredOn: MEASURED_STREAM_COST.measuredOn,
    warnings: capacityWarnings(instanceType),
  };
}

export function capacitySection(plan: Pick<Plan, "config">): string {
  const { instanceType, minSize, maxSize } = plan.config.proxy;
  const capacity = streamCapacity(instanceType);
  const lines = ["Stream capacity (concurrent streams; aws/proxySizing.ts, docs/capacity.md)"];
  if (!capacity) {
    lines.push(`  ${instanceType}: not in the sizing table, capacity unknown`);
  } else {
    const { shape, perProxy, limitedBy } = capacity;
    const n = (x: number) => x.toLocaleString("en-US");
    lines.push(
      `  one proxy (${instanceType}, ${shape.vcpus} vCPU, ${shape.memoryMib / 1024} GiB): ${n(perProxy)} streams, limited by ${limitedBy}` +
        ` (memory ${n(capacity.byMemory)}, maxconn ${n(PROXY_MAXCONN)}, file descriptors ${n(capacity.byFiles)})`,
      `  group: ${n(perProxy * minSize)} at minSize ${minSize}, ${n(perProxy * maxSize)} at maxSize ${maxSize}`,
      `  per stream: ${MEASURED_STREAM_COST.kibPerStream} kB, measured ${MEASURED_STREAM_COST.measuredOn} on ${MEASURED_STREAM_COST.architecture}` +
        (capacity.measuredElsewhere
          ? ` (${instanceType} is Graviton/${capacity.architecture}: not measured there, same figure assumed)`
          : ""),
    );
  }
  for (const warning of capacityWarnings(instanceType)) lines.push(`  ⚠ ${warning}`);
  return lines.join("\n");
}
