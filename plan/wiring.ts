/**
 * The cross-cloud wiring of docs/architecture.md, traced through a plan's recorded values: for each
 * link, the value that left one cloud and whether it arrived, unchanged, where it must.
 */
import type { RecordedResource } from "./mocks";
import { TYPES as T } from "./resourceTypes";

export interface WiringLink {
  readonly from: string;
  readonly to: string;
  readonly value: unknown;
  readonly ok: boolean;
}

type Json = Record<string, unknown>;
const get = (o: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((v, k) => (v as Json | undefined)?.[k], o);
const sameSet = (a: readonly unknown[], b: readonly unknown[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/** `operatorIps`: the config's `azure.extraAllowedIps`, the only addresses besides the pool the firewall may allow. */
export function traceWiring(
  resources: readonly RecordedResource[],
  region: string,
  secretMarker: (v: unknown) => boolean,
  operatorIps: readonly string[] = [],
): WiringLink[] {
  const all = (type: string) => resources.filter((r) => r.type === type);
  const one = (type: string) => all(type)[0];
  const links: WiringLink[] = [];

  const poolIps = all(T.eip).map((r) => r.outputs.publicIp as string);
  // Every account's firewall holds the pool; every account's FQDN is on the proxies and in the rule.
  const accounts = all(T.account);
  const several = accounts.length > 1;
  const fqdnOf = (account: RecordedResource) => new URL(String(get(account.outputs, "properties.endpoint"))).hostname;
  const named = (account: RecordedResource) => (several ? ` ${String(account.inputs.accountName)}` : "");
  for (const account of accounts) {
    const rules = ((get(account.inputs, "properties.networkAcls.ipRules") ?? []) as { value: string }[]).map(
      (r) => r.value,
    );
    links.push({
      from: `AWS EIP pool (${poolIps.length} public IPs)`,
      to: `Azure account${named(account)} networkAcls.ipRules`,
      value: poolIps,
      ok: poolIps.length > 0 && poolIps.every((ip) => rules.includes(ip)),
    });
    // Whatever else the firewall allows must be exactly the operator addresses of the config.
    const others = rules.filter((ip) => !poolIps.includes(ip));
    if (others.length > 0 || operatorIps.length > 0)
      links.push({
        from: `operator addresses (azure.extraAllowedIps, ${operatorIps.length})`,
        to: `Azure account${named(account)} networkAcls.ipRules`,
        value: others,
        ok: sameSet(others, operatorIps),
      });
  }
  const launchTemplate = one(T.launchTemplate);
  if (launchTemplate) {
    const userData = Buffer.from(String(launchTemplate.inputs.userData ?? ""), "base64").toString("utf8");
    for (const account of accounts) {
      links.push({
        from: `Azure account${named(account)} FQDN`,
        to: "HAProxy SNI allow list + backend (launch template user data)",
        value: fqdnOf(account),
        ok: userData.includes(fqdnOf(account)),
      });
    }
  }
  const rule = one(T.nccRule);
  if (accounts.length > 0 && rule) {
    const fqdns = accounts.map(fqdnOf);
    links.push({
      from: several ? `Azure account FQDNs (${fqdns.length} accounts)` : "Azure account FQDN",
      to: "NCC private endpoint rule domainNames",
      value: several ? fqdns : fqdns[0],
      ok: sameSet((rule.inputs.domainNames ?? []) as string[], fqdns),
    });
  }
  const service = one(T.endpointService);
  if (service && rule) {
    links.push({
      from: "AWS endpoint service serviceName",
      to: "NCC private endpoint rule endpointService",
      value: service.outputs.serviceName,
      ok: rule.inputs.endpointService === service.outputs.serviceName,
    });
  }
  const waiter = one(T.ruleEndpoint);
  const accepter = one(T.accepter);
  if (waiter && accepter) {
    links.push({
      from: "NCC rule vpcEndpointId (polled until AWS creates it)",
      to: "AWS VpcEndpointConnectionAccepter",
      value: waiter.outputs.vpcEndpointId,
      ok:
        accepter.inputs.vpcEndpointId === waiter.outputs.vpcEndpointId &&
        accepter.inputs.vpcEndpointServiceId === service?.outputs.id,
    });
  }
  const ncc = one(T.ncc);
  if (ncc) links.push({ from: "aws:region", to: "NCC region", value: region, ok: ncc.inputs.region === region });
  if (service) {
    const principals = (service.inputs.allowedPrincipals ?? []) as string[];
    links.push({
      from: "aws:region → Databricks serverless principal",
      to: "endpoint service allowedPrincipals",
      value: principals,
      ok: principals.length === 1 && principals[0].endsWith(region),
    });
  }
  const secret = one(T.secret);
  if (secret) {
    links.push({
      from: "Azure account key (listAccountKeys)",
      to: "Databricks secret (serving endpoint credential)",
      value: "[secret]",
      ok: secretMarker(secret.inputs.stringValue),
    });
  }
  return links;
}
