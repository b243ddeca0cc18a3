/** Reads `azure.deployments`: the model deployments of the Azure OpenAI account. Pure. */
import { CONFIG_DEFAULTS } from "./defaults";
import type { IssueCollector } from "./issues";
import { configKey, DEPLOYMENT_KEYS } from "./keys";
import type { ModelDeploymentConfig } from "./types";

export const DEPLOYMENT_SKUS = [
  "Standard",
  "GlobalStandard",
  "DataZoneStandard",
  "ProvisionedManaged",
  "GlobalProvisionedManaged",
  "DataZoneProvisionedManaged",
  "GlobalBatch",
  "DataZoneBatch",
  "DeveloperTier",
] as const;
export const VERSION_UPGRADE_OPTIONS = [
  "OnceCurrentVersionExpired",
  "OnceNewDefaultVersionAvailable",
  "NoAutoUpgrade",
] as const;

const DEPLOYMENT_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

const isUpgradeOption = (text: string): text is ModelDeploymentConfig["versionUpgradeOption"] =>
  (VERSION_UPGRADE_OPTIONS as readonly string[]).includes(text);

/** At least one deployment, names unique; undefined when any entry is invalid. */
export function readDeployments(
  c: IssueCollector,
  value: unknown,
  key = configKey("azure", "deployments"),
): ModelDeploymentConfig[] | undefined {
  const list = c.array(key, value, { required: true });
  if (!list) return undefined;
  if (list.length === 0) {
    c.add(key, list, "needs at least one model deployment", "add an entry with name, model, version, sku and capacity");
    return undefined;
  }
  const result: ModelDeploymentConfig[] = [];
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    const at = `${key}[${i}]`;
    const o = c.object(at, entry, true);
    if (!o) return;
    c.unknownKeys(at, o, DEPLOYMENT_KEYS);
    const name = c.string(`${at}.name`, o.name, {
      required: true,
      pattern: DEPLOYMENT_NAME,
      describe: "a deployment name (2-64 letters, digits, . _ -)",
    });
    const model = c.string(`${at}.model`, o.model, { required: true, describe: "a model name such as gpt-4o-mini" });
    const version = c.string(`${at}.version`, o.version, {
      required: true,
      describe: 'a model version string such as "2024-07-18"',
      fix: 'quote the version, e.g. version: "2024-07-18"',
    });
    const sku = c.string(`${at}.sku`, o.sku, {
      required: true,
      describe: "a deployment SKU",
      fix: `use one of ${DEPLOYMENT_SKUS.join(", ")}`,
    });
    if (sku && !(DEPLOYMENT_SKUS as readonly string[]).includes(sku)) {
      c.add(`${at}.sku`, sku, "is not a known deployment SKU", `use one of ${DEPLOYMENT_SKUS.join(", ")}`);
    }
    const capacity = c.integer(`${at}.capacity`, o.capacity, {
      min: 1,
      fix: "set a positive capacity in thousands of tokens per minute",
    });
    const versionUpgradeOption = c.string(`${at}.versionUpgradeOption`, o.versionUpgradeOption, {
      default: CONFIG_DEFAULTS.deployment.versionUpgradeOption,
    });
    if (versionUpgradeOption && !isUpgradeOption(versionUpgradeOption)) {
      c.add(
        `${at}.versionUpgradeOption`,
        versionUpgradeOption,
        "is not an Azure version upgrade option",
        `use one of ${VERSION_UPGRADE_OPTIONS.join(", ")} (NoAutoUpgrade deployments stop answering when the version retires)`,
      );
    }
    if (name && seen.has(name)) {
      c.add(
        `${at}.name`,
        name,
        "duplicates an earlier deployment name (names appear in API URLs and must be unique)",
        "give each deployment its own name",
      );
    }
    if (name) seen.add(name);
    if (name && model && version && sku && capacity && versionUpgradeOption && isUpgradeOption(versionUpgradeOption)) {
      result.push({ name, model, version, sku, capacity, versionUpgradeOption });
    }
  });
  return result.length === list.length ? result : undefined;
}
