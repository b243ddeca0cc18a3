/**
 * Facts of keyless (Microsoft Entra ID) access to Azure OpenAI. Pure: no resources here.
 */

/**
 * Built-in role "Cognitive Services OpenAI User": call the inference APIs, nothing else (no keys, no
 * deployments). Its id is the same in every tenant (learn.microsoft.com/azure/ai-services/openai/how-to/role-based-access-control).
 */
export const OPENAI_USER_ROLE_ID = "5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";

/** Days between client secret rotations (a new secret on the first `pulumi up` after this). */
export const SECRET_ROTATION_DAYS = 90;
/** Days a secret stays valid after its rotation date: the window in which someone must run `pulumi up`. */
export const SECRET_GRACE_DAYS = 30;

/**
 * Tag the program puts on the Azure OpenAI account in the Entra case: the declared auth mode, which the
 * policy pack enforces (an `entra` account must have local auth disabled) and Azure auditors can see.
 */
export const AUTH_TAG_KEY = "dbx-aoai-link-auth";

export function openAiUserRoleDefinitionId(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleDefinitions/${OPENAI_USER_ROLE_ID}`;
}

/** The secret's end date: its rotation date plus the grace period, as RFC 3339 without fractions. */
export function secretEndDate(rotationRfc3339: string, graceDays = SECRET_GRACE_DAYS): string {
  const rotation = Date.parse(rotationRfc3339);
  if (Number.isNaN(rotation)) throw new Error(`not an RFC 3339 time: ${JSON.stringify(rotationRfc3339)}`);
  return new Date(rotation + graceDays * 86_400_000).toISOString().replace(/\.\d{3}Z$/, "Z");
}
