// Entry point: read and validate the stack config, build the program, export the outputs contract.
import { loadStackConfig } from "./config/load";
import { buildProgram } from "./program";

const outputs = buildProgram(loadStackConfig());

export const egressIps = outputs.egressIps;
export const azureOpenAiEndpoint = outputs.azureOpenAiEndpoint;
export const azureOpenAiFqdn = outputs.azureOpenAiFqdn;
export const deployments = outputs.deployments;
export const azureOpenAiFqdns = outputs.azureOpenAiFqdns;
export const azureOpenAiAccounts = outputs.azureOpenAiAccounts;
export const endpointServiceName = outputs.endpointServiceName;
export const endpointServiceId = outputs.endpointServiceId;
export const nlbArn = outputs.nlbArn;
export const proxyAsgName = outputs.proxyAsgName;
export const nccId = outputs.nccId;
export const privateEndpointRuleId = outputs.privateEndpointRuleId;
export const networkPolicyId = outputs.networkPolicyId;
/** Present only when `databricks.servingEndpoint` is configured. */
export const servingEndpointName = outputs.servingEndpointName;
/** With a serving endpoint: its secret scope and the principals its ACL declares (what `verify` allows). */
export const secretScopeName = outputs.secretScopeName;
export const secretScopePrincipals = outputs.secretScopePrincipals;
export const awsRegion = outputs.awsRegion;
export const databricksAccountId = outputs.databricksAccountId;
export const databricksAccountHost = outputs.databricksAccountHost;
