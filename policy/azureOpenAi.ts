/** Azure OpenAI account: the firewall is the only door, and only our proxies' public IPs open it. */
import { validateResourceOfType } from "@pulumi/policy";
import { Account } from "@pulumi/azure-native/cognitiveservices";
import { ipRuleProblem, type MandatoryPolicy, subject } from "./lib";
import { AUTH_TAG_KEY } from "../azure/entraAuth";

export const openAiNetworkDefaultDeny: MandatoryPolicy = {
  name: "azure-openai-network-default-deny",
  description: "Azure OpenAI (Cognitive Services) accounts deny network access by default: only ipRules get in.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    'Set properties.networkAcls.defaultAction to "Deny" and list the proxy EIPs in properties.networkAcls.ipRules.',
  validateResource: validateResourceOfType(Account, (account, args, reportViolation) => {
    const action = account.properties?.networkAcls?.defaultAction;
    if (action !== "Deny") {
      reportViolation(
        `${subject(args)}: properties.networkAcls.defaultAction is ${JSON.stringify(action)}, so any address on the internet may call the API. ` +
          `Fix: set properties.networkAcls.defaultAction to "Deny" (the pool EIPs in ipRules stay allowed).`,
      );
    }
  }),
};

export const openAiIpRulesPublicOnly: MandatoryPolicy = {
  name: "azure-openai-ip-rules-public-only",
  description:
    "The Azure OpenAI firewall's ipRules hold only public IPv4 addresses or ranges: no 0.0.0.0/0, no private range.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps:
    "Remove 0.0.0.0/0 and private/non-public ranges from properties.networkAcls.ipRules (and from the stack's azure.extraAllowedIps).",
  validateResource: validateResourceOfType(Account, (account, args, reportViolation) => {
    for (const rule of account.properties?.networkAcls?.ipRules ?? []) {
      const value = String(rule?.value);
      const problem = ipRuleProblem(value);
      if (problem) {
        reportViolation(
          `${subject(args)}: properties.networkAcls.ipRules entry "${value}" ${problem}. ` +
            `Fix: remove it; the allow list holds only the pool EIPs and operator public IPs (stack config azure.extraAllowedIps).`,
        );
      }
    }
  }),
};

export const openAiEntraLocalAuthDisabled: MandatoryPolicy = {
  name: "azure-openai-entra-local-auth-disabled",
  description:
    "An Azure OpenAI account the program declares keyless (azure.auth: entra) has local (key) auth disabled.",
  enforcementLevel: "mandatory",
  severity: "high",
  remediationSteps:
    "Set properties.disableLocalAuth to true (the program does so for azure.auth: entra), or use azure.auth: key.",
  validateResource: validateResourceOfType(Account, (account, args, reportViolation) => {
    const declared = account.tags?.[AUTH_TAG_KEY];
    if (declared === "entra" && account.properties?.disableLocalAuth !== true) {
      reportViolation(
        `${subject(args)}: tag ${AUTH_TAG_KEY}=entra declares keyless auth, but properties.disableLocalAuth is ` +
          `${JSON.stringify(account.properties?.disableLocalAuth)}, so the account's keys still open the API. ` +
          `Fix: set properties.disableLocalAuth to true (azure.auth: entra does), or switch the stack to azure.auth: key.`,
      );
    }
  }),
};
