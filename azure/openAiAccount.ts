import * as pulumi from "@pulumi/pulumi";
import * as cognitiveservices from "@pulumi/azure-native/cognitiveservices";
import * as resources from "@pulumi/azure-native/resources";
import { toIpRules } from "./ipRules";
import { AUTH_TAG_KEY } from "./entraAuth";
import { type AccountAdoption, type AdoptedAccountState, mergedIpRules, mergedTags } from "./accountAdoption";

/** One model deployment on the account. */
export interface ModelDeployment {
  /** Deployment name used in API URLs (`/openai/deployments/<name>/...`). */
  readonly name: string;
  readonly model: string;
  readonly version: string;
  /** Deployment SKU (Standard, GlobalStandard, DataZoneStandard, ...). */
  readonly sku: string;
  /** Thousands of tokens per minute. */
  readonly capacity: number;
  /**
   * What Azure does when the version retires. NoAutoUpgrade deployments stop answering at retirement.
   * @default "OnceCurrentVersionExpired"
   */
  readonly versionUpgradeOption: "OnceCurrentVersionExpired" | "OnceNewDefaultVersionAvailable" | "NoAutoUpgrade";
}

export interface OpenAiAccountArgs {
  readonly resourceGroupName: string;
  /** Create the resource group, or use an existing one of that name. */
  readonly createResourceGroup: boolean;
  readonly location: string;
  /** Account name and custom subdomain (required for network ACLs). */
  readonly accountName: string;
  readonly deployments: readonly ModelDeployment[];
  /**
   * Public IPv4 addresses/CIDRs the firewall lets through: every egress address, plus operators.
   * Everything else is denied. The component knows nothing about where they come from.
   */
  readonly allowedIps: pulumi.Input<pulumi.Input<string>[]>;
  /**
   * Restore a soft-deleted account of this name (Azure keeps deleted accounts 48 h and refuses a new one
   * of the same name with FlagMustBeSetForRestore until it is restored or purged). @default false
   */
  readonly restoreSoftDeleted?: boolean;
  /** Read the account key (as a secret) for consumers that authenticate with it. @default false */
  readonly readKey?: boolean;
  /**
   * Keyless: turn off key auth (callers use Microsoft Entra ID tokens), and tag the account with the
   * auth mode (AUTH_TAG_KEY) the policy pack checks. Excludes `readKey`: Azure refuses to list keys
   * when local auth is off. @default false
   */
  readonly entraOnly?: boolean;
  readonly tags?: Record<string, string>;
  /**
   * Adopt this existing account instead of creating one: Pulumi `import`, `protect` and `retainOnDelete`
   * (a shared account survives `destroy`); its IP rules, virtual network rules, bypass, SKU and tags are
   * kept, the allowed addresses added. @default unset: the account is created
   */
  readonly adopt?: AccountAdoption<pulumi.Output<AdoptedAccountState>>;
}

/**
 * An Azure OpenAI account reachable only from allow-listed addresses: custom subdomain, public
 * network access enabled but default Deny with no bypass, and the model deployments created one
 * after another (parallel creation on one account returns 409 Conflict).
 */
export class OpenAiAccount extends pulumi.ComponentResource {
  public readonly account: cognitiveservices.Account;
  /** `https://<accountName>.openai.azure.com/` */
  public readonly endpoint: pulumi.Output<string>;
  /** `<accountName>.openai.azure.com`: the SNI the proxies allow and the NCC rule's domain name. */
  public readonly fqdn: pulumi.Output<string>;
  /** Deployment name → model name. */
  public readonly deploymentModels: pulumi.Output<Record<string, string>>;
  public readonly deployments: cognitiveservices.Deployment[];
  /** key1, only when `readKey`; always a secret. */
  public readonly primaryKey?: pulumi.Output<string>;

  constructor(name: string, args: OpenAiAccountArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:azure:OpenAiAccount", name, {}, opts);
    if (args.entraOnly && args.readKey)
      throw new Error("OpenAiAccount: readKey needs key auth, which entraOnly turns off");
    const parent = { parent: this };

    const resourceGroupName = args.createResourceGroup
      ? new resources.ResourceGroup(
          `${name}-rg`,
          {
            resourceGroupName: args.resourceGroupName,
            location: args.location,
            tags: args.tags,
          },
          parent,
        ).name
      : pulumi.output(args.resourceGroupName);

    const adopt = args.adopt;
    const ownTags = args.entraOnly ? { ...args.tags, [AUTH_TAG_KEY]: "entra" } : args.tags;
    this.account = new cognitiveservices.Account(
      `${name}-account`,
      {
        resourceGroupName,
        accountName: args.accountName,
        location: args.location,
        // An adopted account keeps its kind: PUTting OpenAI onto a Foundry (AIServices) account is refused
        // with UpdateKindNotAllowed or rolled back (Azure/bicep#15446, Azure/azure-cli#32089).
        kind: adopt ? adopt.existing.kind : "OpenAI",
        sku: adopt ? { name: adopt.existing.skuName } : { name: "S0" },
        properties: {
          customSubDomainName: args.accountName,
          // Only when asked: `restore` on an account that is not soft-deleted is an error on create.
          ...(args.restoreSoftDeleted ? { restore: true } : {}),
          publicNetworkAccess: cognitiveservices.PublicNetworkAccess.Enabled,
          // Key auth stays on unless keyless: the external model's api type "azure" authenticates with the key.
          disableLocalAuth: args.entraOnly === true,
          networkAcls: adopt
            ? {
                defaultAction: cognitiveservices.NetworkRuleAction.Deny,
                // A shared account keeps what its owner set beside our addresses.
                bypass: adopt.existing.bypass,
                virtualNetworkRules: adopt.existing.virtualNetworkRules.apply((rules) => [...rules]),
                ipRules: pulumi
                  .all([args.allowedIps, adopt.existing.ipRules])
                  .apply(([ips, theirs]) => mergedIpRules(theirs, ips)),
              }
            : {
                defaultAction: cognitiveservices.NetworkRuleAction.Deny,
                bypass: cognitiveservices.ByPassSelection.None,
                ipRules: pulumi.output(args.allowedIps).apply((ips) => toIpRules(ips)),
              },
        },
        tags: adopt ? adopt.existing.tags.apply((theirs) => mergedTags(theirs, ownTags)) : ownTags,
      },
      // Adopted: imported on the first `up` (then updated to the inputs above), never deleted by this
      // stack, and a `destroy` only forgets it (pulumi/pulumi#16397: import with differences imports,
      // then updates).
      // ignoreChanges kind: Microsoft upgrades eligible Azure OpenAI accounts to Foundry (kind AIServices)
      // in place; the next update must not try to turn it back. azure-native does not replace on a kind
      // change (the spec does not mark kind immutable: Azure/azure-rest-api-specs#27777), it would PUT it.
      // The kind an update sends is then the state's; a refresh records the live one (pulumi-azure-native#280).
      adopt
        ? { ...parent, ignoreChanges: ["kind"], import: adopt.importId, protect: true, retainOnDelete: true }
        : { ...parent, ignoreChanges: ["kind"] },
    );

    // From the custom subdomain, not `properties.endpoint`: a Foundry (AIServices) account reports
    // https://<subdomain>.cognitiveservices.azure.com/, and serves Azure OpenAI on
    // <subdomain>.openai.azure.com as well (learn.microsoft.com/azure/foundry/how-to/develop/sdk-overview);
    // for kind OpenAI both are the same string.
    this.fqdn = this.account.properties.apply((p) => openAiFqdn(p.customSubDomainName ?? args.accountName));
    this.endpoint = this.fqdn.apply((host) => `https://${host}/`);

    // Each deployment waits for the previous one: Azure rejects concurrent deployments with 409.
    this.deployments = [];
    for (const d of args.deployments) {
      const previous = this.deployments[this.deployments.length - 1];
      this.deployments.push(
        new cognitiveservices.Deployment(
          `${name}-deployment-${d.name}`,
          {
            resourceGroupName,
            accountName: this.account.name,
            deploymentName: d.name,
            properties: {
              model: { format: "OpenAI", name: d.model, version: d.version },
              // Default OnceCurrentVersionExpired: a NoAutoUpgrade deployment stops answering when its version
              // retires (azure/models.ts has the dates and the program warns ahead).
              versionUpgradeOption: d.versionUpgradeOption,
            },
            sku: { name: d.sku, capacity: d.capacity },
            // On a shared account the tags mark the deployments this stack made, so the preflight can tell
            // them from a clashing deployment of its owner (preflight/existingAccount.ts isStacksDeployment).
            ...(adopt && args.tags ? { tags: args.tags } : {}),
          },
          { parent: this, dependsOn: previous ? [previous] : [] },
        ),
      );
    }
    this.deploymentModels = pulumi.output(Object.fromEntries(args.deployments.map((d) => [d.name, d.model])));

    if (args.readKey && shouldReadKey(pulumi.runtime.isDryRun())) {
      const keys = cognitiveservices.listAccountKeysOutput(
        { resourceGroupName, accountName: this.account.name },
        parent,
      );
      this.primaryKey = pulumi.secret(
        keys.apply((k) => {
          if (!k.key1)
            throw new Error(`Azure returned no key for ${args.accountName}: is local auth disabled on the account?`);
          return k.key1;
        }),
      );
    } else if (args.readKey) {
      // Preview: the key stays unknown, so the preview identity needs no listKeys (policy/permissions.ts).
      this.primaryKey = pulumi.secret(pulumi.output(pulumi.unknown as unknown as string));
    }

    this.registerOutputs({ endpoint: this.endpoint, fqdn: this.fqdn, deploymentModels: this.deploymentModels });
  }
}

/**
 * Whether this run reads the account key: only `pulumi up` does. A preview never calls listAccountKeys,
 * so a read-only preview identity can lack `Microsoft.CognitiveServices/accounts/listKeys/action`.
 */
export function shouldReadKey(dryRun: boolean): boolean {
  return !dryRun;
}

/** The Azure OpenAI host of an account with this custom subdomain (kind OpenAI or AIServices alike). */
export function openAiFqdn(customSubDomainName: string): string {
  return `${customSubDomainName.toLowerCase()}.openai.azure.com`;
}
