/** Every preflight the program runs, with what it reads: the plan and the README list these. Add yours here. */
import type { PreflightDescriptor } from "./check";
import { EIP_QUOTA_PREFLIGHT } from "./eipQuota";
import { AZURE_MODELS_PREFLIGHT } from "./azureModels";
import { WORKSPACE_ATTACHMENTS_PREFLIGHT } from "./workspaceAttachments";
import { AVAILABILITY_ZONES_PREFLIGHT } from "./availabilityZones";
import { EXISTING_VPC_PREFLIGHT } from "./existingVpc";
import { EXISTING_ACCOUNT_PREFLIGHT } from "./existingAccount";

export const PREFLIGHTS: readonly PreflightDescriptor[] = [
  EIP_QUOTA_PREFLIGHT,
  AZURE_MODELS_PREFLIGHT,
  WORKSPACE_ATTACHMENTS_PREFLIGHT,
  AVAILABILITY_ZONES_PREFLIGHT,
  EXISTING_VPC_PREFLIGHT,
  EXISTING_ACCOUNT_PREFLIGHT,
];
