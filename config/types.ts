/**
 * The validated stack configuration: the public contract of `Pulumi.<stack>.yaml`
 * (see README "Configuration reference"). Read once, validated, frozen; every component gets
 * the part it needs from here.
 */
import type { AlertDestinations } from "../aws/alerts";
import type { ModelDeployment } from "../azure/openAiAccount";
import type { DatabricksShard } from "../databricks/regions";
import type { InferenceTableConfig, RateLimitConfig, ServingRateLimits } from "../databricks/aiGateway";
import type { ExistingVpcConfig } from "./existingVpc";

/** Pulumi project name: the namespace of our own config keys. */
export const PROJECT = "dbx-aoai-link";

/** One model deployment (the shape belongs to the Azure component; config reads it). */
export type ModelDeploymentConfig = ModelDeployment;

export interface AzureConfig {
  readonly resourceGroupName: string;
  /** Use an existing resource group instead of creating one. @default false */
  readonly existingResourceGroup: boolean;
  /** Account name and custom subdomain: `<accountName>.openai.azure.com`. */
  readonly accountName: string;
  readonly deployments: readonly ModelDeploymentConfig[];
  /** Operator IPv4 addresses/CIDRs, normalised (single addresses without /32). @default [] */
  readonly extraAllowedIps: readonly string[];
  /**
   * Restore a soft-deleted account of the same name instead of failing with FlagMustBeSetForRestore
   * (for 48 h after a destroy). @default false
   */
  readonly restoreSoftDeleted: boolean;
  /**
   * How Databricks authenticates to Azure OpenAI: `key` (the account key in a Databricks secret) or
   * `entra` (a service principal with "Cognitive Services OpenAI User" on the account; local auth
   * disabled; no key read). @default "key": what every stack had, so existing stacks see no change,
   * and it needs no Microsoft Graph permission; choose `entra` where policy forbids keys.
   */
  readonly auth: AzureAuth;
  /**
   * Every Azure OpenAI account behind the proxy tier, the primary first: from `azure.accounts[]`, or the
   * single-account keys above as one entry. The single-account fields above always describe the primary.
   */
  readonly accounts: readonly AzureAccountConfig[];
  /**
   * Resource id of an existing account to adopt as the primary (Pulumi `import`, protected, kept on
   * destroy; its IP rules merged with the pool). Its group and name must be `resourceGroupName` and
   * `accountName`; that resource group is then never created. @default unset: the program creates it
   */
  readonly existingAccount?: string;
}

/** One Azure OpenAI account (`azure.accounts[]` entry). */
export interface AzureAccountConfig {
  /** Account name and custom subdomain: `<name>.openai.azure.com`. */
  readonly name: string;
  /** Azure region. @default `azure-native:location` */
  readonly location: string;
  readonly resourceGroupName: string;
  /** @default false */
  readonly existingResourceGroup: boolean;
  readonly deployments: readonly ModelDeploymentConfig[];
  /** Where this account's settings are written, for messages (read, not a key of the entry). */
  readonly keys: AzureAccountKeys;
}

/**
 * The full config keys of one account's settings: the single-account keys (`dbx-aoai-link:azure.accountName`,
 * `azure-native:location`, `dbx-aoai-link:azure.resourceGroupName`, `dbx-aoai-link:azure.deployments`) or
 * its entry's (`dbx-aoai-link:azure.accounts[i].name`, `.location`, `.resourceGroupName`, `.deployments`).
 */
export interface AzureAccountKeys {
  readonly name: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly deployments: string;
}

export const AZURE_AUTH_MODES = ["key", "entra"] as const;
export type AzureAuth = (typeof AZURE_AUTH_MODES)[number];

export interface ProxyConfig {
  /** The VPC the program creates. Absent with `existingVpc`. */
  readonly vpcCidr?: string;
  /**
   * Put the proxies and the NLB into these subnets of an existing VPC; no VPC, subnet, route or
   * gateway is created. @default unset: the program creates its VPC from `vpcCidr`
   */
  readonly existingVpc?: ExistingVpcConfig;
  /** @default 2; with `existingVpc`, the number of its public subnets */
  readonly availabilityZones: number;
  /** @default "t3.small" */
  readonly instanceType: string;
  /** @default 2 */
  readonly minSize: number;
  /** @default minSize */
  readonly desiredCapacity: number;
  /** @default 4 */
  readonly maxSize: number;
  /** @default maxSize + 1 */
  readonly eipPoolSize: number;
  /** Pool membership tag key; unique per stack within an AWS account and region. */
  readonly eipTagKey: string;
  /** NLB deletion protection. @default true */
  readonly nlbDeletionProtection: boolean;
  /**
   * Age at which the group replaces a proxy (onto the image current at that time), within the pool's
   * headroom; 0 turns it off. @default 21
   */
  readonly maxInstanceLifetimeDays: number;
  /**
   * How long a launch may wait for its pool address before it is abandoned; updated in place on an
   * existing group (aws/launchHook.ts). @default 600
   */
  readonly launchHookHeartbeatSeconds: number;
  /**
   * Name of the launch hook the EIP assigner completes; a new name adds a hook and removes the old one,
   * never the group (aws/launchHook.ts). @default "assign-pool-eip"
   */
  readonly launchHookName: string;
  /**
   * Zone ids (use1-az1, …) pinned in subnet order; absent: the first `availabilityZones` zones in name
   * order that offer `instanceType` (preflight/availabilityZones.ts).
   */
  readonly availabilityZoneIds?: readonly string[];
}

export interface NetworkPolicyConfig {
  /** @default "ENFORCED" */
  readonly enforcement: "ENFORCED" | "DRY_RUN";
  /** Extra DNS names serverless may still reach. @default [] */
  readonly allowedInternetDestinations: readonly string[];
  /**
   * Also list the Azure OpenAI FQDN among the allowed destinations (as the Databricks SRA does for a
   * private endpoint rule). Pending: `npm run verify` tells which setting is safe in an account.
   * @default true
   */
  readonly allowAzureOpenAiFqdn: boolean;
  /**
   * Ingress: who may reach the workspaces over the internet (`ingress.publicAccess`). Not sent in
   * GovCloud. @default "FULL_ACCESS"
   */
  readonly publicAccess: "FULL_ACCESS" | "RESTRICTED_ACCESS";
  /** With RESTRICTED_ACCESS: the public IPv4 addresses/CIDRs allowed in. @default [] */
  readonly publicAccessAllowedIps: readonly string[];
}

export interface ServingEndpointConfig {
  readonly workspaceUrl: string;
  readonly name: string;
  /** Name of one of `azure.deployments`. */
  readonly deployment: string;
  /**
   * Make the deploying service principal a user of the serving workspace (MwsPermissionAssignment):
   * its account-level numeric id, and the serving workspace's id (one of workspaceIds). @default absent:
   * the principal must already be a workspace user.
   */
  readonly assignPrincipal?: { readonly principalId: string; readonly workspaceId: string };
  /**
   * Name of the account (one of `azure.accounts`) whose deployment the endpoint serves. @default the
   * one account that has a deployment of that name
   */
  readonly account: string;
  /**
   * Workspace groups granted CAN_QUERY on the endpoint. When set, the program owns the endpoint's
   * permissions (databricks.Permissions is authoritative: grants made by hand are reset). @default []:
   * no permissions resource; the endpoint keeps what the workspace grants.
   */
  readonly queryGroups: readonly string[];
  /** AI Gateway rate limits, per minute. @default per user 25% of the deployment's TPM, per endpoint 100% */
  readonly rateLimits: ServingRateLimits;
  /** AI Gateway usage tracking (system.serving.endpoint_usage). @default true */
  readonly usageTracking: boolean;
  /** AI Gateway inference table (prompts and answers in Unity Catalog). @default absent: off */
  readonly inferenceTable?: InferenceTableConfig;
}

/** AI Gateway shapes belong to the serving endpoint component; config reads them. */
export type { InferenceTableConfig, RateLimitConfig, ServingRateLimits };

export interface DatabricksConfig {
  readonly accountId: string;
  readonly workspaceIds: readonly string[];
  /** Which Databricks shard the account is on. @default commercial, or govcloud in us-gov-* */
  readonly shard: DatabricksShard;
  /** Account console host. @default per shard (https://accounts.cloud.databricks.com commercially) */
  readonly accountHost: string;
  readonly networkPolicy: NetworkPolicyConfig;
  readonly servingEndpoint?: ServingEndpointConfig;
  /** Add our private endpoint rule to this NCC; create and bind none. @default unset */
  readonly existingNccId?: string;
  /** Create and attach no network policy; that policy's owner allows our FQDNs. @default unset */
  readonly existingNetworkPolicyId?: string;
}

/** `dbx-aoai-link:alerts`: where every alarm (and its return to OK) is sent. */
export type AlertsConfig = AlertDestinations;

export interface StackConfig {
  readonly stack: string;
  /** `aws:region`: proxy tier region, which must be the Databricks workspaces' region. */
  readonly awsRegion: string;
  /** `azure-native:location`: Azure OpenAI region. */
  readonly azureLocation: string;
  readonly azure: AzureConfig;
  readonly proxy: ProxyConfig;
  readonly databricks: DatabricksConfig;
  readonly alerts: AlertsConfig;
  /**
   * Start of the names that live in shared namespaces (ASG, log group, NCC, network policy, secret
   * scope). @default unset: the names stacks have always had (see config/names.ts)
   */
  readonly namePrefix?: string;
  /** User tags (cost centre, owner, ...) on every taggable resource. @default {} */
  readonly tags: Readonly<Record<string, string>>;
}
