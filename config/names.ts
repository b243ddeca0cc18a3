/**
 * Physical names of the objects that live in shared namespaces (an AWS account and region, a
 * Databricks account): the Auto Scaling group, alarms, the EIP assigner's log group and metric dimension, the
 * NCC, the network policy and the secret scope. Everything else is autonamed by Pulumi (logical name
 * plus a random suffix) and cannot collide. Pure.
 *
 * Without `namePrefix` these are exactly the names stacks have always had (an existing stack sees no
 * replacement); with it, every one of them starts with the prefix, so two projects or regions that
 * both have a stack called `dev` do not collide.
 */
import { PROJECT } from "./types";
import type { IssueCollector } from "./issues";
import { configKey } from "./keys";
import { defaultDatabricksBase, nccName, networkPolicyId, secretScopeName } from "../databricks/naming";

export interface ResourceNames {
  readonly asgName: string;
  /** Start of every CloudWatch alarm name (alarm names are unique per account and region). */
  readonly alarmNamePrefix: string;
  /** The EIP assigner's log group. */
  readonly assignerLogGroupName: string;
  /** The EIP assigner's Powertools service name: the dimension of its pool-exhausted metric. */
  readonly assignerServiceName: string;
  /** The connection rejecter's log group, metric dimension, and the SSM parameter holding our rule's endpoint id. */
  readonly rejecterLogGroupName: string;
  readonly rejecterServiceName: string;
  readonly ruleEndpointParameterName: string;
  /** HAProxy's log, shipped from the proxies, and the flow logs of the proxy subnets. */
  readonly proxyLogGroupName: string;
  readonly proxyFlowLogGroupName: string;
  readonly nccName: string;
  readonly networkPolicyId: string;
  readonly secretScopeName: string;
  /** Display name of the serving endpoint's Entra app registration (`azure.auth: entra`). */
  readonly entraApplicationName: string;
}

/** Logical name of the EIP assigner component (part of its default log group and service names). */
export const ASSIGNER_NAME = "eip-assigner";
/** Logical name of the connection rejecter component (likewise). */
export const REJECTER_NAME = "privatelink-guard";

export function resourceNames(stack: string, namePrefix?: string): ResourceNames {
  if (namePrefix === undefined) {
    const base = defaultDatabricksBase(stack);
    return {
      asgName: `${PROJECT}-${stack}-proxies`,
      alarmNamePrefix: `${PROJECT}-${stack}-`,
      assignerLogGroupName: `/${PROJECT}/${stack}/${ASSIGNER_NAME}`,
      assignerServiceName: `${ASSIGNER_NAME}-${stack}`,
      rejecterLogGroupName: `/${PROJECT}/${stack}/${REJECTER_NAME}`,
      rejecterServiceName: `${REJECTER_NAME}-${stack}`,
      ruleEndpointParameterName: `/${PROJECT}/${stack}/privatelink/rule-endpoint-id`,
      proxyLogGroupName: `/${PROJECT}/${stack}/haproxy`,
      proxyFlowLogGroupName: `/${PROJECT}/${stack}/proxy-flow-logs`,
      nccName: nccName(base),
      networkPolicyId: networkPolicyId(base),
      secretScopeName: secretScopeName(base),
      entraApplicationName: `${PROJECT}-${stack}-serving`,
    };
  }
  return {
    asgName: `${namePrefix}-proxies`,
    alarmNamePrefix: `${namePrefix}-`,
    assignerLogGroupName: `/${namePrefix}/${ASSIGNER_NAME}`,
    assignerServiceName: `${namePrefix}-${ASSIGNER_NAME}`,
    rejecterLogGroupName: `/${namePrefix}/${REJECTER_NAME}`,
    rejecterServiceName: `${namePrefix}-${REJECTER_NAME}`,
    ruleEndpointParameterName: `/${namePrefix}/privatelink/rule-endpoint-id`,
    proxyLogGroupName: `/${namePrefix}/haproxy`,
    proxyFlowLogGroupName: `/${namePrefix}/proxy-flow-logs`,
    nccName: nccName(namePrefix),
    networkPolicyId: networkPolicyId(namePrefix),
    secretScopeName: secretScopeName(namePrefix),
    entraApplicationName: `${namePrefix}-serving`,
  };
}

/** 1–30 lower-case letters, digits and hyphens: fits an NCC name (30) and a policy id (32) uncut. */
const NAME_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,28}[a-z0-9])?$/;
/** The network policy every Databricks account has; ours must never take its id. */
const RESERVED_POLICY_ID = "default-policy";

/** Reads top-level `namePrefix`: undefined when unset (today's names). */
export function readNamePrefix(c: IssueCollector, value: unknown): string | undefined {
  const key = configKey("namePrefix");
  const prefix = c.string(key, value, {
    pattern: NAME_PREFIX,
    describe: "1-30 lower-case letters, digits and hyphens, starting and ending with a letter or digit",
    fix: "choose a short prefix unique in your AWS and Databricks accounts, e.g. fin-aoai-use1-dev",
  });
  if (prefix === RESERVED_POLICY_ID) {
    c.add(key, prefix, "is the id of the network policy every Databricks account already has", "choose another prefix");
    return undefined;
  }
  return prefix;
}
