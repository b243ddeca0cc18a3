/**
 * Every policy of the pack, in one list: what index.ts serves and what the tests run. Importing this
 * file starts nothing (the `PolicyPack` constructor, which starts the gRPC server, is in index.ts).
 */
import { type MandatoryPolicy } from "./lib";
import { openAiEntraLocalAuthDisabled, openAiIpRulesPublicOnly, openAiNetworkDefaultDeny } from "./azureOpenAi";
import { endpointServiceAcceptanceRequired, endpointServiceNoWildcardPrincipal } from "./endpointService";
import { launchTemplateImdsV2 } from "./launchTemplate";
import { noIngressFromInternet } from "./securityGroups";
import { nlbInternal } from "./loadBalancer";
import { iamNoWildcardAction } from "./iam";
import { logGroupRetention } from "./logGroups";
import { eipProtected } from "./eips";
import { alarmHasActions } from "./alarms";
import { secretScopeAclPinned } from "./secretScopes";

export const POLICY_PACK_NAME = "dbx-aoai-link";

export const policies: readonly MandatoryPolicy[] = [
  openAiNetworkDefaultDeny,
  openAiIpRulesPublicOnly,
  openAiEntraLocalAuthDisabled,
  endpointServiceAcceptanceRequired,
  endpointServiceNoWildcardPrincipal,
  launchTemplateImdsV2,
  noIngressFromInternet,
  nlbInternal,
  iamNoWildcardAction,
  logGroupRetention,
  eipProtected,
  alarmHasActions,
  secretScopeAclPinned,
];
