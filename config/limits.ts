/** Limits of the clouds that bound config values; README's configuration reference states them. */

/** Azure's limit on IP rules per Cognitive Services account (the pool plus extraAllowedIps). */
export const AZURE_MAX_IP_RULES = 100;
/** PrivateLink for Databricks needs subnets in at least two AZs. */
export const MIN_AZS = 2;
export const MAX_AZS = 6;
