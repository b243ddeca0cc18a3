/**
 * The one home for per-region Databricks facts on AWS: which IAM role Databricks serverless uses to
 * create the VPC endpoint to our endpoint service (the only principal the service allows), and which
 * account console the account-level provider talks to. Pure data: no Pulumi imports.
 */

/** Where a Databricks account lives; GovCloud has two separately operated shards in one region. */
export type DatabricksShard = "commercial" | "govcloud" | "govcloud-dod";

export interface DatabricksRegionFacts {
  /** IAM principal Databricks serverless uses to connect to customer endpoint services. */
  readonly serverlessPrincipalArn: string;
  /** Account API / console host for the account-level provider. */
  readonly accountHost: string;
  /**
   * Whether network policies take ingress settings here (the SRA leaves them unset in GovCloud).
   * Where they do, `ingress.privateAccess` must be set explicitly or the provider reports an
   * inconsistent result after apply (terraform-provider-databricks #5884).
   */
  readonly networkPolicyIngress: boolean;
}

/** AWS account that owns the commercial private-connectivity roles (one role per region). */
const COMMERCIAL_PRINCIPAL_ACCOUNT = "565502421330";
const COMMERCIAL_ACCOUNT_HOST = "https://accounts.cloud.databricks.com";

/**
 * Commercial regions where Databricks serverless compute and NCC private endpoint rules are offered.
 * Add a region here (one line) when Databricks launches serverless there.
 */
export const COMMERCIAL_SERVERLESS_REGIONS: readonly string[] = [
  "us-east-1",
  "us-east-2",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "ap-south-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ap-northeast-2",
];

/** GovCloud: one region, two shards with their own principals and account hosts. */
const GOVCLOUD_FACTS: Record<Exclude<DatabricksShard, "commercial">, Record<string, DatabricksRegionFacts>> = {
  govcloud: {
    "us-gov-west-1": {
      serverlessPrincipalArn: "arn:aws-us-gov:iam::347038500609:role/private-connectivity-role-us-gov-west-1",
      accountHost: "https://accounts.cloud.databricks.us",
      networkPolicyIngress: false,
    },
  },
  "govcloud-dod": {
    "us-gov-west-1": {
      serverlessPrincipalArn: "arn:aws-us-gov:iam::347034940029:role/private-connectivity-role-us-gov-west-1",
      accountHost: "https://accounts-dod.cloud.databricks.mil",
      networkPolicyIngress: false,
    },
  },
};

/** The shard a region belongs to by default (GovCloud civilian unless DoD is asked for). */
export function defaultShardFor(region: string): DatabricksShard {
  return region.startsWith("us-gov-") ? "govcloud" : "commercial";
}

/** Regions known for a shard, for error messages. */
export function knownRegions(shard: DatabricksShard): string[] {
  return shard === "commercial" ? [...COMMERCIAL_SERVERLESS_REGIONS] : Object.keys(GOVCLOUD_FACTS[shard]);
}

/** Facts for a region and shard, or undefined when Databricks serverless is not known there. */
export function databricksRegionFacts(
  region: string,
  shard: DatabricksShard = defaultShardFor(region),
): DatabricksRegionFacts | undefined {
  if (shard === "commercial") {
    if (!COMMERCIAL_SERVERLESS_REGIONS.includes(region)) return undefined;
    return {
      serverlessPrincipalArn: `arn:aws:iam::${COMMERCIAL_PRINCIPAL_ACCOUNT}:role/private-connectivity-role-${region}`,
      accountHost: COMMERCIAL_ACCOUNT_HOST,
      networkPolicyIngress: true,
    };
  }
  return GOVCLOUD_FACTS[shard][region];
}
