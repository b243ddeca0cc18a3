/**
 * EIP quota preflight (pure): will the pool's still-missing addresses fit under the account's
 * "EC2-VPC Elastic IPs" quota in the region? A region allows 5 by default; without this check the first
 * `up` of a larger pool fails at the sixth address with AddressLimitExceeded, after creating half the
 * stack. Addresses the pool already has (they carry eipTagKey) are not counted again, so updates of an
 * existing stack pass.
 */
import { PROJECT } from "../config/types";
import { type PreflightDescriptor, type PreflightProblem } from "./check";

/** Service Quotas identity of the quota (https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html). */
export const EIP_QUOTA = { serviceCode: "ec2", quotaCode: "L-0263D0A3", name: "EC2-VPC Elastic IPs" } as const;

export const EIP_QUOTA_PREFLIGHT: PreflightDescriptor = {
  name: "EIP quota",
  configKey: `${PROJECT}:proxy.eipPoolSize`,
  reads: [
    {
      invoke: "aws:servicequotas/getServiceQuota:getServiceQuota",
      permission: "servicequotas:GetServiceQuota",
      what: `quota ${EIP_QUOTA.quotaCode} "${EIP_QUOTA.name}"`,
    },
    {
      invoke: "aws:ec2/getEips:getEips",
      permission: "ec2:DescribeAddresses",
      what: "Elastic IPs allocated in the region, and those already in the pool (eipTagKey)",
    },
  ],
};

export interface EipQuotaFacts {
  readonly region: string;
  /** proxy.eipPoolSize */
  readonly poolSize: number;
  /** Addresses that already carry the pool's tag key (0 on a new stack). */
  readonly poolAllocated: number;
  /** Every Elastic IP allocated in the region by this account (pool members included). */
  readonly regionAllocated: number;
  /** The applied quota value (the default when never raised). */
  readonly quota: number;
}

/** Addresses the next `up` still has to allocate. */
export function addressesToAllocate(facts: Pick<EipQuotaFacts, "poolSize" | "poolAllocated">): number {
  return Math.max(0, facts.poolSize - facts.poolAllocated);
}

export function checkEipQuota(facts: EipQuotaFacts): PreflightProblem[] {
  const missing = addressesToAllocate(facts);
  const needed = facts.regionAllocated + missing;
  if (needed <= facts.quota) return [];
  const request = `aws service-quotas request-service-quota-increase --service-code ${EIP_QUOTA.serviceCode} --quota-code ${EIP_QUOTA.quotaCode} --desired-value ${needed} --region ${facts.region}`;
  return [
    {
      key: EIP_QUOTA_PREFLIGHT.configKey,
      value: facts.poolSize,
      problem:
        `the pool still needs ${missing} Elastic IP${missing === 1 ? "" : "s"} in ${facts.region}, where ${facts.regionAllocated} of the account's quota of ${facts.quota} ` +
        `(${EIP_QUOTA.quotaCode} "${EIP_QUOTA.name}") are allocated already: \`up\` would stop with AddressLimitExceeded after creating part of the stack`,
      fix: `request a quota of at least ${needed} (${request}, or the Service Quotas console), or release unused Elastic IPs in ${facts.region}, or lower eipPoolSize`,
    },
  ];
}
