/** Which Amazon Linux 2023 image a proxy boots: pure, so the arm64/x86_64 choice is testable. */

/** Graviton families carry a "g" after the generation digit (t4g, c7g, m7gd, c6gn, r8g ...); a1 is the first Graviton. */
const GRAVITON_FAMILY = /^(a1|[a-z]+\d+g[a-z]*)\./;

export type CpuArchitecture = "arm64" | "x86_64";

export function architectureOf(instanceType: string): CpuArchitecture {
  return GRAVITON_FAMILY.test(instanceType) ? "arm64" : "x86_64";
}

/** Public SSM parameter holding the latest AL2023 AMI id for the architecture. */
export function al2023AmiParameter(architecture: CpuArchitecture): string {
  return `/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-${architecture}`;
}
