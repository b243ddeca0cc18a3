/**
 * The policy pack: `pulumi preview --policy-pack policy` (from the repository root) runs it.
 * Only this file constructs the PolicyPack, which starts the analyzer's gRPC server: tests import
 * ./policies instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, {
  description:
    'Security invariants of dbx-aoai-link: Azure firewall deny-by-default with public pool IPs only, PrivateLink acceptance, IMDSv2, no internet ingress, internal NLB, no IAM Action "*", log retention, protected pool EIPs, an action on every alarm, a secret scope no workspace-wide group can read.',
  enforcementLevel: "mandatory",
  policies: [...policies],
});
