// Entry point: read and validate the stack config, build the program, export the outputs contract.
import { loadStackConfig } from "./config/load";
import { buildProgram } from "./program";

const outputs = buildProgram(loadStackConfig());

export const egressIps = outputs.egressIps;
export const azureOpenAiEndpoint = outputs.azureOpenAiEndpoint;
export const azureOpenAiFqdn = outputs.azureOpenAiFqdn;
export const deployments = outputs.deployments;
