/**
 * How another team consumes dbx-aoai-link: read its stack outputs through a StackReference and
 * attach one more Databricks workspace to the link (the link's NCC, so serverless compute reaches
 * Azure OpenAI over PrivateLink, and the link's network policy, so it reaches nothing else).
 */
import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";

/** The producing project (its Pulumi.yaml name). */
export const LINK_PROJECT = "dbx-aoai-link";
/** This example's project name and config namespace. */
export const CONSUMER_PROJECT = "dbx-aoai-consumer";
/** The link's outputs this program reads: names from its outputs contract (docs/architecture.md in the link repository). */
export const CONSUMED_OUTPUTS = [
  "nccId",
  "networkPolicyId",
  "awsRegion",
  "databricksAccountId",
  "databricksAccountHost",
] as const;
export type ConsumedOutput = (typeof CONSUMED_OUTPUTS)[number];

export interface ConsumerSettings {
  /** Pulumi organization of the link's stack. */
  readonly linkOrganization: string;
  /** The link's stack, e.g. "dev" or "prod": it must be in the same AWS region as the workspace. */
  readonly linkStack: string;
  /** The workspace to attach (numeric Databricks workspace id). */
  readonly workspaceId: string;
  /**
   * Databricks account id (a UUID): NCC bindings and network options are account-level.
   * @default the link's `databricksAccountId` output
   */
  readonly accountId?: string;
  /** @default the link's `databricksAccountHost` output */
  readonly accountHost?: string;
}

export interface LinkAttachment {
  readonly stackReference: pulumi.StackReference;
  readonly nccId: pulumi.Output<string>;
  readonly networkPolicyId: pulumi.Output<string>;
  /** The link's AWS region: the workspace must be in it (an NCC serves one region). */
  readonly region: pulumi.Output<string>;
  readonly binding: databricks.MwsNccBinding;
  readonly networkOption: databricks.WorkspaceNetworkOption;
}

/** `<org>/dbx-aoai-link/<stack>`: the fully qualified name a StackReference needs. */
export function linkStackName(organization: string, stack: string): string {
  return `${organization}/${LINK_PROJECT}/${stack}`;
}

/**
 * A string output of the link's stack, failing with a message that says what is wrong and what to
 * do when the stack does not export it (not deployed yet, wrong stack name, or an older version).
 */
export function requireLinkOutput(
  ref: pulumi.StackReference,
  stackName: string,
  name: ConsumedOutput,
): pulumi.Output<string> {
  return ref.getOutput(name).apply((value) => {
    if (typeof value !== "string" || value.length === 0) {
      throw new Error(
        `stack "${stackName}" has no output "${name}" (got ${JSON.stringify(value)}). ` +
          `Run \`pulumi up\` on that ${LINK_PROJECT} stack first, or fix ${CONSUMER_PROJECT}:linkStack / linkOrganization. ` +
          `This program reads the outputs ${CONSUMED_OUTPUTS.join(", ")}.`,
      );
    }
    return value;
  });
}

/** What readSettings needs of `pulumi.Config`. */
export interface ConfigReader {
  get(key: string): string | undefined;
  require(key: string): string;
}

/** Reads and checks this project's config: each error names the key, the value and the fix. */
export function readSettings(config: ConfigReader = new pulumi.Config(CONSUMER_PROJECT)): ConsumerSettings {
  const workspaceId = config.require("workspaceId");
  if (!/^\d+$/.test(workspaceId)) {
    throw new Error(
      `${CONSUMER_PROJECT}:workspaceId = ${JSON.stringify(workspaceId)}: must be the numeric workspace id (the "o=" number in the workspace URL)`,
    );
  }
  const accountId = config.get("accountId");
  if (accountId !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(accountId)) {
    throw new Error(
      `${CONSUMER_PROJECT}:accountId = ${JSON.stringify(accountId)}: must be the Databricks account id (a UUID, from the account console)`,
    );
  }
  return {
    linkOrganization: config.get("linkOrganization") ?? pulumi.getOrganization(),
    linkStack: config.require("linkStack"),
    workspaceId,
    ...(accountId !== undefined ? { accountId } : {}),
    ...(config.get("accountHost") !== undefined ? { accountHost: config.get("accountHost") } : {}),
  };
}

/** Binds the workspace to the link's NCC and attaches the link's network policy to it. */
export function attachWorkspaceToLink(name: string, settings: ConsumerSettings): LinkAttachment {
  const stackName = linkStackName(settings.linkOrganization, settings.linkStack);
  const stackReference = new pulumi.StackReference(stackName);
  const nccId = requireLinkOutput(stackReference, stackName, "nccId");
  const networkPolicyId = requireLinkOutput(stackReference, stackName, "networkPolicyId");
  const region = requireLinkOutput(stackReference, stackName, "awsRegion");
  // The link's own account and host, so the binding lands in the account that owns the NCC.
  const linkAccountId = requireLinkOutput(stackReference, stackName, "databricksAccountId");
  const linkAccountHost = requireLinkOutput(stackReference, stackName, "databricksAccountHost");

  const account = new databricks.Provider(`${name}-account`, {
    host: settings.accountHost ?? linkAccountHost,
    accountId: settings.accountId ?? linkAccountId,
  });
  const binding = new databricks.MwsNccBinding(
    `${name}-ncc-binding`,
    {
      networkConnectivityConfigId: nccId,
      workspaceId: settings.workspaceId,
    },
    { provider: account },
  );
  const networkOption = new databricks.WorkspaceNetworkOption(
    `${name}-network-policy`,
    {
      workspaceId: settings.workspaceId,
      networkPolicyId,
    },
    { provider: account },
  );
  return { stackReference, nccId, networkPolicyId, region, binding, networkOption };
}
