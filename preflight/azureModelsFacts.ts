/**
 * Reads the Azure model preflight's facts from Azure Resource Manager with a bearer token (the
 * program gets it from `azure-native:authorization:getClientToken`). `fetch` and the ARM base URL are
 * injectable: tests answer from 127.0.0.1.
 */
import * as pulumi from "@pulumi/pulumi";
import * as authorization from "@pulumi/azure-native/authorization";
import type { StackConfig } from "../config/types";
import { AZURE_ARM_API_VERSION, AZURE_MODELS_PREFLIGHT, type AzureModelFacts, type OfferedModel } from "./azureModels";

export interface AzureModelFactsArgs {
  readonly token: string;
  readonly subscriptionId: string;
  readonly location: string;
  readonly resourceGroupName: string;
  readonly accountName: string;
  readonly deployments: AzureModelFacts["deployments"];
  readonly armBaseUrl?: string;
  readonly timeoutMs?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any shape
type Json = Record<string, any>;

export async function readAzureModelFacts(args: AzureModelFactsArgs): Promise<AzureModelFacts> {
  const base = (args.armBaseUrl ?? "https://management.azure.com").replace(/\/+$/, "");
  const get = async (path: string, missingOk = false): Promise<Json[]> => {
    const url = `${base}${path}?api-version=${AZURE_ARM_API_VERSION}`;
    const response = await fetch(url, {
      headers: { Authorization: `Bearer ${args.token}` },
      signal: AbortSignal.timeout(args.timeoutMs ?? 30_000),
    });
    if (missingOk && response.status === 404) return [];
    const text = await response.text();
    if (!response.ok) throw new Error(`GET ${url} answered HTTP ${response.status}: ${text.slice(0, 300)}`);
    return (JSON.parse(text) as { value?: Json[] }).value ?? [];
  };
  const sub = `/subscriptions/${encodeURIComponent(args.subscriptionId)}`;
  const location = `${sub}/providers/Microsoft.CognitiveServices/locations/${encodeURIComponent(args.location)}`;
  const account = `${sub}/resourceGroups/${encodeURIComponent(args.resourceGroupName)}/providers/Microsoft.CognitiveServices/accounts/${encodeURIComponent(args.accountName)}`;
  const [models, usages, existing] = await Promise.all([
    get(`${location}/models`),
    get(`${location}/usages`),
    get(`${account}/deployments`, true),
  ]);
  const offered: OfferedModel[] = models
    .filter((m) => m.kind === undefined || m.kind === "OpenAI")
    .map((m) => ({
      name: String(m.model?.name ?? ""),
      version: String(m.model?.version ?? ""),
      skus: Object.fromEntries((m.model?.skus ?? []).map((s: Json) => [String(s.name), String(s.usageName ?? "")])),
    }));
  return {
    location: args.location,
    deployments: args.deployments,
    offered,
    usages: Object.fromEntries(
      usages.map((u) => [
        String(u.name?.value ?? ""),
        { current: Number(u.currentValue ?? 0), limit: Number(u.limit ?? 0) },
      ]),
    ),
    existing: Object.fromEntries(
      existing.map((d) => [String(d.name), { sku: String(d.sku?.name ?? ""), capacity: Number(d.sku?.capacity ?? 0) }]),
    ),
  };
}

/**
 * The facts for the program, through the Azure login the azure-native provider uses. Undefined (check
 * skipped) when there is no token, as under the offline mocks, or when Resource Manager cannot be read
 * (a warning names why: the deploying identity may lack the read permissions listed in the preflight).
 */
export function azureModelFacts(
  config: StackConfig,
  opts?: pulumi.InvokeOutputOptions,
): pulumi.Output<AzureModelFacts | undefined> {
  const client = authorization.getClientConfigOutput(opts);
  const token = authorization.getClientTokenOutput({}, opts);
  return pulumi.all([client, token]).apply(async ([c, t]) => {
    if (!t.token || !c.subscriptionId) return undefined;
    try {
      return await readAzureModelFacts({
        token: t.token,
        subscriptionId: c.subscriptionId,
        location: config.azureLocation,
        resourceGroupName: config.azure.resourceGroupName,
        accountName: config.azure.accountName,
        deployments: config.azure.deployments,
      });
    } catch (error) {
      void pulumi.log.warn(
        `Preflight "${AZURE_MODELS_PREFLIGHT.name}" skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  });
}
