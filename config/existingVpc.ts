/**
 * Reads `proxy.existingVpc`: a VPC someone else owns, whose subnets the proxy tier uses instead of a
 * VPC of its own. Only the shape is checked here (ids, one subnet per list entry, no subnet twice);
 * what the ids point at (same VPC, one subnet per AZ, public subnets routed to an internet gateway) is
 * read at preview by preflight/existingVpc.ts.
 */
import type { IssueCollector } from "./issues";
import { PROJECT } from "./types";

export interface ExistingVpcConfig {
  readonly vpcId: string;
  /** One subnet per AZ for the proxies; each routes 0.0.0.0/0 to an internet gateway. */
  readonly publicSubnetIds: readonly string[];
  /** One subnet per AZ (the same AZs) for the internal NLB; needs no internet route. */
  readonly privateSubnetIds: readonly string[];
}

export const EXISTING_VPC_KEY = `${PROJECT}:proxy.existingVpc`;
/** The proxy keys that describe the VPC the program creates: meaningless beside an existing one. */
export const CREATED_VPC_KEYS = ["vpcCidr", "availabilityZones", "availabilityZoneIds"] as const;
/** PrivateLink for Databricks needs the endpoint service (so the NLB) in at least two AZs. */
export const MIN_EXISTING_AZS = 2;

const VPC_ID = /^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/;
const KEYS = ["vpcId", "publicSubnetIds", "privateSubnetIds"] as const;

function readSubnetIds(c: IssueCollector, key: string, value: unknown): string[] | undefined {
  const list = c.array(key, value, { required: true });
  if (!list) return undefined;
  const before = c.issues.length;
  const ids = list.map((id, i) =>
    c.string(`${key}[${i}]`, id, {
      required: true,
      pattern: SUBNET_ID,
      describe: "a subnet id (subnet- and 8 or 17 hex digits)",
      fix: "copy the id from the VPC console or `aws ec2 describe-subnets`",
    }),
  );
  if (c.issues.length > before) return undefined;
  if (ids.length < MIN_EXISTING_AZS) {
    c.add(
      key,
      list,
      `lists ${ids.length} subnet${ids.length === 1 ? "" : "s"}; the NLB behind the endpoint service needs one in each of at least ${MIN_EXISTING_AZS} AZs`,
      `list one subnet in each of ${MIN_EXISTING_AZS} or more availability zones`,
    );
    return undefined;
  }
  return ids as string[];
}

/**
 * Undefined (and nothing reported) when the key is absent; undefined with issues when it is invalid.
 * `proxy` is the raw proxy block: with an existing VPC, the keys that shape a created one are refused.
 */
export function readExistingVpc(
  c: IssueCollector,
  proxy: Record<string, unknown>,
): { value?: ExistingVpcConfig; valid: boolean } {
  const before = c.issues.length;
  const o = c.object(EXISTING_VPC_KEY, proxy.existingVpc, false);
  if (!o) return { valid: c.issues.length === before };
  c.unknownKeys(EXISTING_VPC_KEY, o, KEYS);
  const vpcId = c.string(`${EXISTING_VPC_KEY}.vpcId`, o.vpcId, {
    required: true,
    pattern: VPC_ID,
    describe: "a VPC id (vpc- and 8 or 17 hex digits)",
    fix: "copy the id from the VPC console or `aws ec2 describe-vpcs`",
  });
  const publicSubnetIds = readSubnetIds(c, `${EXISTING_VPC_KEY}.publicSubnetIds`, o.publicSubnetIds);
  const privateSubnetIds = readSubnetIds(c, `${EXISTING_VPC_KEY}.privateSubnetIds`, o.privateSubnetIds);
  const seen = new Set<string>();
  for (const [list, ids] of [
    ["publicSubnetIds", publicSubnetIds],
    ["privateSubnetIds", privateSubnetIds],
  ] as const) {
    for (const id of ids ?? []) {
      if (seen.has(id))
        c.add(
          `${EXISTING_VPC_KEY}.${list}`,
          id,
          "is listed twice: proxies and the NLB each need their own subnet in every AZ",
          "list each subnet once, public subnets under publicSubnetIds and the others under privateSubnetIds",
        );
      seen.add(id);
    }
  }
  for (const key of CREATED_VPC_KEYS) {
    if (proxy[key] !== undefined)
      c.add(
        `${PROJECT}:proxy.${key}`,
        proxy[key],
        "shapes the VPC the program creates, and proxy.existingVpc is set, so no VPC is created",
        `remove proxy.${key} (the existing subnets decide the CIDR and the AZs), or remove proxy.existingVpc`,
      );
  }
  if (c.issues.length > before || !vpcId || !publicSubnetIds || !privateSubnetIds) return { valid: false };
  return { value: { vpcId, publicSubnetIds, privateSubnetIds }, valid: true };
}
