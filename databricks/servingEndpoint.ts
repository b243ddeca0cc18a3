import * as pulumi from "@pulumi/pulumi";
import * as databricks from "@pulumi/databricks";

/** Dated GA version of the Azure OpenAI data-plane API the external model calls. */
export const AZURE_OPENAI_API_VERSION = "2024-10-21";
/** Key of the Azure OpenAI key in the secret scope. */
export const AZURE_KEY_SECRET_KEY = "azure-openai-key";

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
  /** The Azure key: kept secret in state and stored only in a Databricks secret. */
  readonly apiKey: pulumi.Input<string>;
  /** User tags; the endpoint carries them only when some are set (older stacks had none). @default {} */
  readonly tags?: Readonly<Record<string, string>>;
  /** The workspace-level provider of the workspace that hosts the endpoint. */
  readonly provider: databricks.Provider;
}

/**
 * A Model Serving endpoint whose external model is our Azure OpenAI deployment. Its calls leave
 * serverless through the NCC private endpoint rule, the proxies and their allow-listed EIPs.
 */
export class ServingEndpoint extends pulumi.ComponentResource {
  public readonly endpoint: databricks.ModelServing;
  public readonly endpointName: pulumi.Output<string>;

  constructor(name: string, args: ServingEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:databricks:ServingEndpoint", name, {}, opts);
    const workspace = { parent: this, provider: args.provider };

    const scope = new databricks.SecretScope(`${name}-scope`, { name: args.secretScopeName }, workspace);
    const secret = new databricks.Secret(`${name}-key`, {
      scope: scope.name, key: AZURE_KEY_SECRET_KEY, stringValue: pulumi.secret(args.apiKey),
    }, workspace);

    this.endpoint = new databricks.ModelServing(`${name}-endpoint`, {
      name: args.endpointName,
      ...(args.tags && Object.keys(args.tags).length > 0 ? { tags: Object.entries(args.tags).map(([key, value]) => ({ key, value })) } : {}),
      config: {
        servedEntities: [{
          name: servedEntityName(args.deploymentName),
          externalModel: {
            name: args.modelName,
            provider: "openai",
            task: "llm/v1/chat",
            openaiConfig: {
              openaiApiType: "azure",
              openaiApiBase: args.apiBase,
              openaiDeploymentName: args.deploymentName,
              openaiApiVersion: AZURE_OPENAI_API_VERSION,
              // A reference to the secret, never the key itself.
              openaiApiKey: secret.configReference,
            },
          },
        }],
      },
    }, workspace);
    this.endpointName = this.endpoint.name;
    this.registerOutputs({ endpointName: this.endpointName });
  }
}
