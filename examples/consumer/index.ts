// Attaches this stack's Databricks workspace to dbx-aoai-link (see README.md).
import { attachWorkspaceToLink, readSettings } from "./link";

const settings = readSettings();
const attachment = attachWorkspaceToLink("workspace", settings);

export const linkStack = attachment.stackReference.name;
export const workspaceId = settings.workspaceId;
export const nccId = attachment.nccId;
export const networkPolicyId = attachment.networkPolicyId;
export const linkRegion = attachment.region;
