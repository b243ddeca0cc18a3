/** What the owner of an adopted network policy must do for the link to work. Pure. */

export function adoptedPolicyNotice(policyId: string, fqdns: readonly string[]): string {
  return (
    `databricks.existingNetworkPolicyId = ${policyId}: the program attaches no network policy. The owner of ${policyId} must ` +
    `allow these DNS names as internet destinations, or serverless calls to Azure OpenAI are blocked: ${fqdns.join(", ")}`
  );
}
