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
  readonly account: string;
  readonly keys: AzureModelFacts["keys"];
  readonly location: string;
  readonly resourceGroupName: string;
  readonly deployments: AzureModelFacts["deployments"];
  readonly armBaseUrl?: string;
  readonly timeoutMs?: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of any shape
type Json = Record<string, any>;

/**
 * `locations` shares one read of a location's models and usages among the accounts in it (pass the
 * same map for every account of one run).
 */
export async function readAzureModelFacts(
  args: AzureModelFactsArgs,
  locations = new Map<string, Promise<[Json[], Json[]]>>(),
): Promise<AzureModelFacts> {
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
  const account = `${sub}/resourceGroups/${encodeURIComponent(args.resourceGroupName)}/providers/Microsoft.CognitiveServices/accounts/${encodeURIComponent(args.account)}`;
  if (!locations.has(args.location))
    locations.set(args.location, Promise.all([get(`${location}/models`), get(`${location}/usages`)]));
  const [[models, usages], existing] = await Promise.all([
    locations.get(args.location)!,
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
    account: args.account,
    keys: args.keys,
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
 * The facts of every account, for the program, through the Azure login the azure-native provider uses.
 * Undefined (check skipped) when there is no token, as under the offline mocks, or when Resource
 * Manager cannot be read (a warning names why: the deploying identity may lack the read permissions
 * listed in the preflight). `armBaseUrl` lets tests answer from 127.0.0.1.
 */
export function azureModelFacts(
  config: StackConfig,
  options: { readonly armBaseUrl?: string; readonly invoke?: pulumi.InvokeOutputOptions } = {},
): pulumi.Output<AzureModelFacts[] | undefined> {
  const client = authorization.getClientConfigOutput(options.invoke);
  const token = authorization.getClientTokenOutput({}, options.invoke);
  return pulumi.all([client, token]).apply(async ([c, t]) => {
    if (!t.token || !c.subscriptionId) return undefined;
    const locations = new Map<string, Promise<[Json[], Json[]]>>();
    try {
      return await Promise.all(
        config.azure.accounts.map((a) =>
          readAzureModelFacts(
            {
              token: t.token,
              subscriptionId: c.subscriptionId,
              account: a.name,
              keys: a.keys,
              location: a.location,
              resourceGroupName: a.resourceGroupName,
              deployments: a.deployments,
              armBaseUrl: options.armBaseUrl,
            },
            locations,
          ),
        ),
      );
    } catch (error) {
      void pulumi.log.warn(
        `Preflight "${AZURE_MODELS_PREFLIGHT.name}" skipped: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    }
  });
}
