/**
 * Whether the Azure OpenAI FQDN is also an allowed internet destination of the network policy
 * (`databricks.networkPolicy.allowAzureOpenAiFqdn`). The default keeps what the program did so far
 * (the Databricks SRA adds a private endpoint rule's FQDN); it stays PENDING until a real
 * `npm run verify` shows which setting keeps our FQDN answering while another account's name is
 * blocked (verify/securityProbes.ts `fqdnSwitchVerdict`).
 */
export const FQDN_ALLOW_DECISION = {
  default: true,
  status: "pending: decided by the first real `npm run verify` (docs/threat-model.md, residual risks)",
} as const;
