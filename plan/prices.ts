/**
 * The dated price table of the plan's monthly cost estimate: the one home of every price it uses.
 *
 * Source: AWS public list prices (on-demand, Linux, USD) from the pricing pages of EC2
 * (aws.amazon.com/ec2/pricing/on-demand), Elastic Load Balancing, Amazon VPC (public IPv4 addresses),
 * EBS, Lambda, CloudWatch, KMS and data transfer, as this table records them on the date below.
 * They were written down by hand on 2026-12-01 from the 2025 list prices, without network access to
 * the pricing pages (none from this build machine): re-check them there before quoting a number.
 */

/** Which list prices these are, and when they were written down here. */
export const PRICES_AS_OF = "2025 list prices, recorded 2026-12-01";
export const PRICE_SOURCE =
  "AWS public on-demand list prices (EC2, ELB, VPC IPv4, EBS, Lambda, CloudWatch, KMS, data transfer pages)";
/** Regions whose list prices for every item below are the ones in this table. */
export const PRICED_REGIONS = ["us-east-1", "us-east-2", "us-west-2"] as const;
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  /** USD per instance-hour, On-Demand Linux. */
  instanceHour: {
    "t3.micro": 0.0104,
    "t3.small": 0.0208,
    "t3.medium": 0.0416,
    "t3.large": 0.0832,
    "t4g.micro": 0.0084,
    "t4g.small": 0.0168,
    "t4g.medium": 0.0336,
    "t4g.large": 0.0672,
    "c6g.large": 0.068,
    "c6g.xlarge": 0.136,
    "c7g.medium": 0.0363,
    "c7g.large": 0.0725,
    "c7g.xlarge": 0.145,
    "m7g.large": 0.0816,
    "c6i.large": 0.085,
    "c7i.large": 0.08925,
    "m6i.large": 0.096,
    "m7i.large": 0.1008,
  } as Readonly<Record<string, number>>,
  /** Network Load Balancer: per hour, and per NLCU-hour. */
  nlbHour: 0.0225,
  nlcuHour: 0.006,
  /** Every public IPv4 address, attached or idle (since 2024-02-01), per hour. */
  publicIpv4Hour: 0.005,
  /** gp3 storage per GB-month. */
  gp3GbMonth: 0.08,
  /** EC2 detailed monitoring: 7 metrics at $0.30 per metric-month. */
  detailedMonitoringInstanceMonth: 2.1,
  /** Data transfer out of AWS to the internet (Azure), first 10 TB, per GB. */
  internetEgressGb: 0.09,
  /** Data between AZs (NLB cross-zone), per GB each way. */
  crossAzGb: 0.01,
  /** CloudWatch: standard-resolution alarm per month, custom dashboard per month, log ingestion per GB. */
  alarmMonth: 0.1,
  dashboardMonth: 3,
  logIngestGb: 0.5,
  /** KMS customer managed key per month. */
  kmsKeyMonth: 1,
  /** Lambda: per million requests, per GB-second (arm64). */
  lambdaMillionRequests: 0.2,
  lambdaGbSecondArm: 0.0000133334,
} as const;
