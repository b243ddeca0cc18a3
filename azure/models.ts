/**
 * The one home for Azure OpenAI model lifecycle facts: which (model, version) pairs exist, when Azure
 * stops offering them to new subscriptions (deprecation) and when deployments stop answering
 * (retirement). Pure data and pure functions; the program logs what `modelWarnings` returns.
 *
 * Source: Microsoft's retirement table, "Azure OpenAI in Microsoft Foundry model deprecations and
 * retirements", https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements
 * (text in MicrosoftDocs/azure-ai-docs, articles/ai-foundry/openai/includes/retirement/models.md).
 * Rows copied from the version of that table dated MODEL_TABLE_DATE; read again when you bump it.
 * "No earlier than" dates are recorded as that date (the earliest Azure may act).
 */

/** Date of the Microsoft table these rows come from (its ms.date). */
export const MODEL_TABLE_DATE = "2025-12-16";
export const MODEL_TABLE_SOURCE = "https://learn.microsoft.com/azure/ai-foundry/openai/concepts/model-retirements";

export interface ModelLifecycle {
  readonly model: string;
  readonly version: string;
  /** No new customers (subscriptions that never deployed it) from this day; undefined when none is set. */
  readonly deprecation?: string;
  /** Deployments stop answering from this day. */
  readonly retirement: string;
  readonly replacement?: string;
}

/** Text-generation rows of the table (the deployments this project serves are chat models). */
export const MODEL_LIFECYCLE: readonly ModelLifecycle[] = [
  {
    model: "gpt-4o",
    version: "2024-05-13",
    deprecation: "2025-05-13",
    retirement: "2026-03-31",
    replacement: "gpt-5.1",
  },
  {
    model: "gpt-4o",
    version: "2024-08-06",
    deprecation: "2025-08-06",
    retirement: "2026-03-31",
    replacement: "gpt-5.1",
  },
  {
    model: "gpt-4o",
    version: "2024-11-20",
    deprecation: "2025-11-20",
    retirement: "2026-06-05",
    replacement: "gpt-5.1",
  },
  {
    model: "gpt-4o-mini",
    version: "2024-07-18",
    deprecation: "2025-07-18",
    retirement: "2026-03-31",
    replacement: "gpt-4.1-mini",
  },
  {
    model: "gpt-4.1",
    version: "2025-04-14",
    deprecation: "2026-04-14",
    retirement: "2026-10-14",
    replacement: "gpt-5",
  },
  {
    model: "gpt-4.1-mini",
    version: "2025-04-14",
    deprecation: "2026-04-14",
    retirement: "2026-10-14",
    replacement: "gpt-5-mini",
  },
  {
    model: "gpt-4.1-nano",
    version: "2025-04-14",
    deprecation: "2026-04-14",
    retirement: "2026-10-14",
    replacement: "gpt-5-nano",
  },
  {
    model: "o3-mini",
    version: "2025-01-31",
    deprecation: "2026-01-31",
    retirement: "2026-08-02",
    replacement: "o4-mini",
  },
  { model: "o3", version: "2025-04-16", deprecation: "2026-04-16", retirement: "2026-10-16" },
  { model: "o4-mini", version: "2025-04-16", deprecation: "2026-04-16", retirement: "2026-10-16" },
  { model: "gpt-5-mini", version: "2025-08-07", deprecation: "2026-08-07", retirement: "2027-02-06" },
  { model: "gpt-5-nano", version: "2025-08-07", deprecation: "2026-08-07", retirement: "2027-02-06" },
  { model: "gpt-5.1", version: "2025-11-13", deprecation: "2026-11-13", retirement: "2027-05-15" },
  { model: "gpt-5.2", version: "2025-12-11", deprecation: "2026-12-12", retirement: "2027-05-12" },
];

/**
 * The models the example stacks (Pulumi.dev.yaml, Pulumi.prod.yaml) deploy: the newest GA row of the
 * table, the only one still offered to new subscriptions on the day the examples were last updated.
 * test/models.spec.ts keeps the stack files equal to these.
 */
export const EXAMPLE_MODELS = {
  chat: { model: "gpt-5.2", version: "2025-12-11" },
} as const;

/** Warn this many days before a pinned version stops being offered or retires. */
export const RETIREMENT_WARNING_DAYS = 90;

export function lifecycleOf(model: string, version: string): ModelLifecycle | undefined {
  return MODEL_LIFECYCLE.find((row) => row.model === model && row.version === version);
}

const DAY_MS = 86_400_000;
const daysUntil = (date: string, today: string) => Math.round((Date.parse(date) - Date.parse(today)) / DAY_MS);

export interface PinnedModel {
  /** Deployment name, to say which entry of azure.deployments is meant. */
  readonly name: string;
  readonly model: string;
  readonly version: string;
  readonly versionUpgradeOption: string;
}

/**
 * Warnings for pinned model versions (`today` as YYYY-MM-DD): retired or retiring within
 * RETIREMENT_WARNING_DAYS, no longer offered to new subscriptions, or absent from the table.
 * `NoAutoUpgrade` deployments stop answering at retirement; the others are upgraded by Azure then.
 */
export function modelWarnings(
  deployments: readonly PinnedModel[],
  today: string,
  listKey = "dbx-aoai-link:azure.deployments",
): string[] {
  const warnings: string[] = [];
  deployments.forEach((d, i) => {
    const key = `${listKey}[${i}]`;
    const row = lifecycleOf(d.model, d.version);
    if (!row) {
      warnings.push(
        `${key} (${d.name}): ${d.model} ${d.version} is not in the model table of ${MODEL_TABLE_DATE} (azure/models.ts); ` +
          `check its retirement date at ${MODEL_TABLE_SOURCE} and add it.`,
      );
      return;
    }
    const replacement = row.replacement ? ` Move to ${row.replacement}.` : " Move to a newer model.";
    const retireIn = daysUntil(row.retirement, today);
    const stops =
      d.versionUpgradeOption === "NoAutoUpgrade"
        ? "the deployment (versionUpgradeOption NoAutoUpgrade) then stops answering"
        : `Azure then upgrades it (versionUpgradeOption ${d.versionUpgradeOption})`;
    if (retireIn <= 0) {
      warnings.push(
        `${key} (${d.name}): ${d.model} ${d.version} retired on ${row.retirement}; ${stops}.${replacement}`,
      );
    } else if (retireIn <= RETIREMENT_WARNING_DAYS) {
      warnings.push(
        `${key} (${d.name}): ${d.model} ${d.version} retires on ${row.retirement} (in ${retireIn} days); ${stops}.${replacement}`,
      );
    } else if (row.deprecation && daysUntil(row.deprecation, today) <= 0) {
      warnings.push(
        `${key} (${d.name}): ${d.model} ${d.version} is deprecated since ${row.deprecation}: Azure refuses it to ` +
          `subscriptions that never deployed it, so a new stack in another subscription fails; it retires on ${row.retirement}.${replacement}`,
      );
    }
  });
  return warnings;
}
