/** Shapes of the ids several block readers accept. */

/** A UUID (Databricks account ids, NCC ids). */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A numeric Databricks id (workspace, account-level principal): up to 19 digits, kept as a string. */
export const NUMERIC_ID = /^\d{1,19}$/;
/** Azure region names: lower-case letters and digits (eastus2, swedencentral). */
export const AZURE_LOCATION = /^[a-z][a-z0-9]+$/;
