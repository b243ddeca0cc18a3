import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";
import { type AiGatewaySettings, aiGatewayInput, queryAccessControls } from "./aiGateway";
import { declaredScopeAcl } from "./secretScopeAcl";

/** Dated GA version of the Azure OpenAI data-plane API the external model calls. */
export const AZURE_OPENAI_API_VERSION = "2024-10-21";
/** Key of the Azure OpenAI key in the secret scope. */
export const AZURE_KEY_SECRET_KEY = "azure-openai-key";
/** Keys of the Entra service principal's client id, tenant id and client secret in the secret scope. */
export const ENTRA_SECRET_KEYS = {
  clientId: "azure-entra-client-id",
  tenantId: "azure-entra-tenant-id",
  clientSecret: "azure-entra-client-secret",
} as const;

/** How the external model authenticates to Azure OpenAI. */
export type AzureCredentials =
  /** The account key: kept secret in state and stored only in a Databricks secret. */
  | { readonly kind: "key"; readonly apiKey: pulumi.Input<string> }
  /** A Microsoft Entra service principal (api type `azuread`); no key exists. */
  | {
      readonly kind: "entra";
      readonly clientId: pulumi.Input<string>;
      readonly tenantId: pulumi.Input<string>;
      readonly clientSecret: pulumi.Input<string>;
    };

/** Served entity names allow letters, digits, `-` and `_` only; Azure deployment names may hold dots. */
export function servedEntityName(deploymentName: string): string {
  return deploymentName.replace(/[^A-Za-z0-9_-]/g, "-");
}

export interface ServingEndpointArgs {
  readonly endpointName: string;
  readonly secretScopeName: string;
  /** The account endpoint, `https://<sub>.openai.azure.com/`. */
  readonly apiBase: pulumi.Input<string>;
  /** Azure deployment the endpoint serves, and its model. */
  readonly deploymentName: string;
  readonly modelName: string;
  readonly credentials: AzureCredentials;
  /** User tags; the endpoint carries them only when some are set (older stacks had none). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** The workspace-level provider of the workspace that hosts the endpoint. */
  readonly provider: databricks.Provider;
  /** Rate limits, usage tracking and inference table. @default absent: no AI Gateway settings */
  readonly aiGateway?: AiGatewaySettings;
  /**
   * Groups granted CAN_QUERY through a `Permissions` resource, which then owns the endpoint's ACL.
   * @default []: no permissions resource
   */
  readonly queryGroups?: readonly string[];
}

/**
 * A Model Serving endpoint whose external model is our Azure OpenAI deployment. Its calls leave
 * serverless through the NCC private endpoint rule, the proxies and their allow-listed EIPs.
 */
export class ServingEndpoint extends pulumi.ComponentResource {
  public readonly endpoint: databricks.ModelServing;
  public readonly endpointName: pulumi.Output<string>;
  /** The secret scope holding the credentials. */
  public readonly secretScopeName: pulumi.Output<string>;
  /** The principals the scope's ACL names (the deploy identity only): what `verify` tolerates. */
  public readonly secretScopePrincipals: pulumi.Output<string[]>;

  constructor(name: string, args: ServingEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:databricks:ServingEndpoint", name, {}, opts);
    const workspace = { parent: this, provider: args.provider };

    const scope = new databricks.SecretScope(`${name}-scope`, { name: args.secretScopeName }, workspace);
    // Pin the scope's ACL (databricks/secretScopeAcl.ts says why it is the deploy identity only). The
    // creator already holds MANAGE, and PutAcl overwrites, so declaring it changes nothing on an
    // existing stack; what it adds is a declared fact that the policy pack and `verify` hold the scope
    // to. `deletedWith`: the ACL goes with the scope, so a destroy never strips our own MANAGE before
    // the secrets and the scope are deleted.
    // The deploy identity is read only when deploying. A preview may run as another identity (the pull
    // request workflow's preview principal): it would show the ACL replaced on every pull request, and it
    // need not be a workspace user at all (docs/permissions.md: a preview makes no Databricks read). So in
    // a preview the principal is unknown, and an existing ACL keeps its recorded one (ignoreChanges).
    // The lookup waits for what the component waits for (the serverless attachment, assignPrincipal's
    // workspace assignment): an invoke takes only the provider from its parent, not its dependsOn.
    const deployUser: pulumi.Output<string> = pulumi.runtime.isDryRun()
      ? pulumi.output(pulumi.unknown as unknown as string)
      : databricks.getCurrentUserOutput({}, { parent: this, provider: args.provider, dependsOn: opts?.dependsOn })
          .userName;
    const acl = deployUser.apply((user) => declaredScopeAcl(user));
    const scopeAcl = new databricks.SecretAcl(
      `${name}-scope-acl`,
      { scope: scope.name, principal: acl.principal, permission: acl.permission },
      { ...workspace, deletedWith: scope, ignoreChanges: ["principal"] },
    );
    const secret = (suffix: string, key: string, value: pulumi.Input<string>) =>
      new databricks.Secret(
        `${name}-${suffix}`,
        { scope: scope.name, key, stringValue: pulumi.secret(value) },
        // A new value replaces the secret; created first, the old one's delete would remove the same
        // scope/key, i.e. the new value (pulumi/pulumi-databricks#642). A rotation then has a moment
        // without the secret instead of ending without it.
        { ...workspace, deleteBeforeReplace: true },
      );
    const credentials = args.credentials;
    // Secrets are referenced ("{{secrets/<scope>/<key>}}"), never inlined. The Entra client and tenant
    // ids are plain fields of the external model (only the client secret takes a reference: Databricks
    // SDK OpenAiConfig docs); they sit in the scope too, for jobs that call Azure OpenAI themselves.
    let auth: databricks.types.input.ModelServingConfigServedEntityExternalModelOpenaiConfig;
    if (credentials.kind === "key") {
      auth = {
        openaiApiType: "azure",
        openaiApiKey: secret("key", AZURE_KEY_SECRET_KEY, credentials.apiKey).configReference,
      };
    } else {
      secret("entra-client-id", ENTRA_SECRET_KEYS.clientId, credentials.clientId);
      secret("entra-tenant-id", ENTRA_SECRET_KEYS.tenantId, credentials.tenantId);
      auth = {
        openaiApiType: "azuread",
        microsoftEntraClientId: credentials.clientId,
        microsoftEntraTenantId: credentials.tenantId,
        microsoftEntraClientSecret: secret(
          "entra-client-secret",
          ENTRA_SECRET_KEYS.clientSecret,
          credentials.clientSecret,
        ).configReference,
      };
    }

    this.endpoint = new databricks.ModelServing(
      `${name}-endpoint`,
      {
        name: args.endpointName,
        ...(args.tags && Object.keys(args.tags).length > 0
          ? { tags: Object.entries(args.tags).map(([key, value]) => ({ key, value })) }
          : {}),
        config: {
          servedEntities: [
            {
              name: servedEntityName(args.deploymentName),
              externalModel: {
                name: args.modelName,
                provider: "openai",
                task: "llm/v1/chat",
                openaiConfig: {
                  ...auth,
                  openaiApiBase: args.apiBase,
                  openaiDeploymentName: args.deploymentName,
                  openaiApiVersion: AZURE_OPENAI_API_VERSION,
                },
              },
            },
          ],
        },
        ...(args.aiGateway ? { aiGateway: aiGatewayInput(args.aiGateway) } : {}),
      },
      workspace,
    );
    if (args.queryGroups && args.queryGroups.length > 0) {
      new databricks.Permissions(
        `${name}-query`,
        { servingEndpointId: this.endpoint.servingEndpointId, accessControls: queryAccessControls(args.queryGroups) },
        workspace,
      );
    }
    this.endpointName = this.endpoint.name;
    this.secretScopeName = scope.name;
    // What the ACL holds (its recorded principal in a preview), not the lookup.
    this.secretScopePrincipals = scopeAcl.principal.apply((principal) => [principal]);
    this.registerOutputs({
      endpointName: this.endpointName,
      secretScopeName: this.secretScopeName,
      secretScopePrincipals: this.secretScopePrincipals,
    });
  }
}
