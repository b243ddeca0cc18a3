/**
 * Composes the components and wires their outputs across the three clouds. index.ts calls it with the
 * validated config; tests call it directly under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config/types";
import { commonTags } from "./config/tags";
import { EipPool } from "./aws/eipPool";
import { OpenAiAccount } from "./azure/openAiAccount";

/** The stack outputs contract (see ARCHITECTURE.md): other teams read these through StackReference. */
export interface ProgramOutputs {
  readonly egressIps: pulumi.Output<string[]>;
  readonly azureOpenAiEndpoint: pulumi.Output<string>;
  readonly azureOpenAiFqdn: pulumi.Output<string>;
  readonly deployments: pulumi.Output<Record<string, string>>;
}

export function buildProgram(config: StackConfig): ProgramOutputs {
  const tags = commonTags(config.stack);

  const pool = new EipPool("egress", { size: config.proxy.eipPoolSize, tagKey: config.proxy.eipTagKey, tags });

  const openai = new OpenAiAccount("aoai", {
    resourceGroupName: config.azure.resourceGroupName,
    createResourceGroup: !config.azure.existingResourceGroup,
    location: config.azureLocation,
    accountName: config.azure.accountName,
    deployments: config.azure.deployments,
    allowedIps: pool.publicIps.apply(ips => [...ips, ...config.azure.extraAllowedIps]),
    readKey: config.databricks.servingEndpoint !== undefined,
    tags,
  });

  return {
    egressIps: pool.publicIps.apply(ips => [...ips].sort()),
    azureOpenAiEndpoint: openai.endpoint,
    azureOpenAiFqdn: openai.fqdn,
    deployments: openai.deploymentModels,
  };
}
