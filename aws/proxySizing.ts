/**
 * How many concurrent streams one proxy holds, and what limits it: memory (the measured cost of a
 * stream), HAProxy's maxconn, or the open-files limit. Pure: the plan prints it, the program warns
 * with it, tests check it. How the figure was measured and the sizing rule: docs/capacity.md.
 */
import { architectureOf, type CpuArchitecture } from "./ami";
import { PROXY_MAXCONN } from "./constants";
import { PROXY_NOFILE_LIMIT } from "./userData";

/**
 * Memory one held stream costs a proxy, measured by `npm run bench:capacity` (the worse of idle and
 * slow-reader streams: HAProxy's RSS per stream + its share of the kernel's slab + the socket buffers
 * of its two connections, with 64 kB of answer waiting for a client that does not read).
 * Measured on x86_64 (HAProxy 2.6.12, Debian 12); Graviton (arm64) runs the same code with the same
 * 4 kB pages and buffer sizes, but was not measured.
 */
export const MEASURED_STREAM_COST = {
  kibPerStream: 106,
  measuredOn: "2026-12-01",
  architecture: "x86_64" as CpuArchitecture,
  haproxyVersion: "2.6.12",
} as const;

/**
 * Memory left for the OS, systemd, the SSM agent and HAProxy's own fixed footprint (~16 MB
 * measured) before any stream: what an idle Amazon Linux 2023 instance uses, with margin.
 */
export const RESERVED_MIB = 512;

/** Memory and vCPUs of the instance types the sizing knows. */
export interface InstanceShape {
  readonly vcpus: number;
  readonly memoryMib: number;
}

/**
 * Source: Amazon EC2 instance type specifications,
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/gp.html (general purpose: t, m) and
 * https://docs.aws.amazon.com/ec2/latest/instancetypes/co.html (compute optimized: c). GiB × 1024.
 */
export const INSTANCE_SHAPES: Readonly<Record<string, InstanceShape>> = {
  "t3.micro": { vcpus: 2, memoryMib: 1024 },
  "t3.small": { vcpus: 2, memoryMib: 2048 },
  "t3.medium": { vcpus: 2, memoryMib: 4096 },
  "t3.large": { vcpus: 2, memoryMib: 8192 },
  "t3a.small": { vcpus: 2, memoryMib: 2048 },
  "t3a.medium": { vcpus: 2, memoryMib: 4096 },
  "t4g.micro": { vcpus: 2, memoryMib: 1024 },
  "t4g.small": { vcpus: 2, memoryMib: 2048 },
  "t4g.medium": { vcpus: 2, memoryMib: 4096 },
  "t4g.large": { vcpus: 2, memoryMib: 8192 },
  "c5.large": { vcpus: 2, memoryMib: 4096 },
  "c5.xlarge": { vcpus: 4, memoryMib: 8192 },
  "c6i.large": { vcpus: 2, memoryMib: 4096 },
  "c6i.xlarge": { vcpus: 4, memoryMib: 8192 },
  "c6g.large": { vcpus: 2, memoryMib: 4096 },
  "c6g.xlarge": { vcpus: 4, memoryMib: 8192 },
  "c6gn.large": { vcpus: 2, memoryMib: 4096 },
  "c7i.large": { vcpus: 2, memoryMib: 4096 },
  "c7i.xlarge": { vcpus: 4, memoryMib: 8192 },
  "c7g.medium": { vcpus: 1, memoryMib: 2048 },
  "c7g.large": { vcpus: 2, memoryMib: 4096 },
  "c7g.xlarge": { vcpus: 4, memoryMib: 8192 },
  "c7gn.large": { vcpus: 2, memoryMib: 4096 },
  "m5.large": { vcpus: 2, memoryMib: 8192 },
  "m6i.large": { vcpus: 2, memoryMib: 8192 },
  "m6g.large": { vcpus: 2, memoryMib: 8192 },
  "m7i.large": { vcpus: 2, memoryMib: 8192 },
  "m7g.large": { vcpus: 2, memoryMib: 8192 },
};

/** HAProxy needs two descriptors per relayed stream (client and Azure side), plus a few of its own. */
const FILES_PER_STREAM = 2;
const FILES_RESERVED = 1000;

export type CapacityLimit = "memory" | "maxconn" | "file descriptors";

export interface StreamCapacity {
  readonly instanceType: string;
  readonly shape: InstanceShape;
  readonly architecture: CpuArchitecture;
  /** The measured figure comes from another architecture (Graviton types). */
  readonly measuredElsewhere: boolean;
  readonly byMemory: number;
  readonly byFiles: number;
  readonly maxconn: number;
  /** Streams one proxy holds: the least of the three. */
  readonly perProxy: number;
  readonly limitedBy: CapacityLimit;
}

/** The capacity of one proxy of `instanceType`, or undefined when the type is not in INSTANCE_SHAPES. */
export function streamCapacity(instanceType: string, maxconn: number = PROXY_MAXCONN): StreamCapacity | undefined {
  const shape = INSTANCE_SHAPES[instanceType];
  if (!shape) return undefined;
  const byMemory = Math.max(
    0,
    Math.floor(((shape.memoryMib - RESERVED_MIB) * 1024) / MEASURED_STREAM_COST.kibPerStream),
  );
  const byFiles = Math.floor((PROXY_NOFILE_LIMIT - FILES_RESERVED) / FILES_PER_STREAM);
  const limits: [CapacityLimit, number][] = [
    ["maxconn", maxconn],
    ["memory", byMemory],
    ["file descriptors", byFiles],
  ];
  const [limitedBy, perProxy] = limits.reduce((least, next) => (next[1] < least[1] ? next : least));
  const architecture = architectureOf(instanceType);
  return {
    instanceType,
    shape,
    architecture,
    measuredElsewhere: architecture !== MEASURED_STREAM_COST.architecture,
    byMemory,
    byFiles,
    maxconn,
    perProxy,
    limitedBy,
  };
}

/** What `pulumi.log.warn` should say about `instanceType` (empty: nothing to warn about). */
export function capacityWarnings(instanceType: string, maxconn: number = PROXY_MAXCONN): string[] {
  const key = "dbx-aoai-link:proxy.instanceType";
  const capacity = streamCapacity(instanceType, maxconn);
  if (!capacity) {
    return [
      `${key} = "${instanceType}": not in the sizing table (aws/proxySizing.ts), so whether it holds ${maxconn} streams (PROXY_MAXCONN) is not checked. ` +
        `Fix: add its memory and vCPUs to INSTANCE_SHAPES from the EC2 instance type specifications, or pick a listed type.`,
    ];
  }
  if (capacity.byMemory >= maxconn) return [];
  const neededMib = RESERVED_MIB + Math.ceil((maxconn * MEASURED_STREAM_COST.kibPerStream) / 1024);
  const suggestion = Object.entries(INSTANCE_SHAPES)
    .filter(([type, shape]) => shape.memoryMib >= neededMib && architectureOf(type) === capacity.architecture)
    .sort(([, a], [, b]) => a.memoryMib - b.memoryMib || a.vcpus - b.vcpus)[0]?.[0];
  return [
    `${key} = "${instanceType}": ${capacity.shape.memoryMib / 1024} GiB holds about ${capacity.byMemory} concurrent streams ` +
      `(${MEASURED_STREAM_COST.kibPerStream} kB each, measured ${MEASURED_STREAM_COST.measuredOn}), fewer than the ${maxconn} HAProxy accepts (PROXY_MAXCONN): ` +
      `a full proxy would run short of memory before it stops accepting. ` +
      `Fix: use a type with at least ${Math.ceil(neededMib / 1024)} GiB${suggestion ? ` such as ${suggestion}` : ""}, or more, smaller proxies (proxy.maxSize) if fewer streams per proxy are enough.`,
  ];
}
