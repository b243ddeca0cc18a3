/** Reads the EIP quota preflight's facts through invokes (run at preview; answered by plan/mocks.ts offline). */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { EIP_QUOTA, type EipQuotaFacts } from "./eipQuota";

export interface EipQuotaFactsArgs {
  readonly region: string;
  readonly poolSize: number;
  readonly eipTagKey: string;
}

export function readEipQuotaFacts(
  args: EipQuotaFactsArgs,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<EipQuotaFacts> {
  const quota = aws.servicequotas.getServiceQuotaOutput(
    { serviceCode: EIP_QUOTA.serviceCode, quotaCode: EIP_QUOTA.quotaCode },
    opts,
  );
  const pool = aws.ec2.getEipsOutput({ filters: [{ name: "tag-key", values: [args.eipTagKey] }] }, opts);
  const region = aws.ec2.getEipsOutput({}, opts);
  return pulumi.all([quota, pool, region]).apply(([q, p, r]) => ({
    region: args.region,
    poolSize: args.poolSize,
    poolAllocated: p.allocationIds.length,
    regionAllocated: r.allocationIds.length,
    // `value` is the applied quota; an account that never raised it reports the default.
    quota: q.value || q.defaultValue,
  }));
}
