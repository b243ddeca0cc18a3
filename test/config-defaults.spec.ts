import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CONFIG_DEFAULTS } from "../config/defaults";
import { parseRawConfig } from "../config/load";
import { validateStackConfig } from "../config/validate";
import { readStackConfigFile } from "../plan/run";

const ROOT = path.resolve(__dirname, "..");

/** The dev stack's raw config with every optional key that has a plain default removed. */
function devWithoutDefaultedKeys(): Record<string, any> {
  const raw: Record<string, any> = JSON.parse(
    JSON.stringify(parseRawConfig(readStackConfigFile(path.join(ROOT, "Pulumi.dev.yaml")).values)),
  );
  const azure = raw["dbx-aoai-link:azure"];
  const proxy = raw["dbx-aoai-link:proxy"];
  for (const key of Object.keys(CONFIG_DEFAULTS.azure)) delete azure[key];
  for (const d of azure.deployments) for (const key of Object.keys(CONFIG_DEFAULTS.deployment)) delete d[key];
  // desiredCapacity and eipPoolSize follow from minSize and maxSize: drop them too, so the rules apply.
  for (const key of [...Object.keys(CONFIG_DEFAULTS.proxy), "desiredCapacity", "eipPoolSize"]) delete proxy[key];
  delete raw["dbx-aoai-link:databricks"].networkPolicy;
  return raw;
}

describe("config defaults (config/defaults.ts)", () => {
  it("are what validation fills in for every key left out", () => {
    const config = validateStackConfig("dev", devWithoutDefaultedKeys());
    const pick = (o: object, keys: object) => Object.fromEntries(Object.keys(keys).map((k) => [k, (o as any)[k]]));
    assert.deepStrictEqual(pick(config.azure, CONFIG_DEFAULTS.azure), CONFIG_DEFAULTS.azure);
    for (const d of config.azure.deployments)
      assert.deepStrictEqual(pick(d, CONFIG_DEFAULTS.deployment), CONFIG_DEFAULTS.deployment);
    assert.deepStrictEqual(pick(config.proxy, CONFIG_DEFAULTS.proxy), CONFIG_DEFAULTS.proxy);
    assert.deepStrictEqual(
      pick(config.databricks.networkPolicy, CONFIG_DEFAULTS.networkPolicy),
      CONFIG_DEFAULTS.networkPolicy,
    );
    assert.equal(config.proxy.desiredCapacity, CONFIG_DEFAULTS.proxy.minSize, "desiredCapacity follows minSize");
  });

  it("are the defaults README's configuration reference shows", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("## Configuration reference"));
    // Rows such as "| `minSize` / `desiredCapacity` / `maxSize` | `2` / `minSize` / `4` | …".
    const shown = new Map<string, string>();
    for (const [, keys, defaults] of section.matchAll(/^\| ([^|]+) \| ([^|]+) \|/gm)) {
      const names = keys.split(" / ").map((n) => n.trim().replace(/^`|`$/g, ""));
      const values = defaults.split(" / ").map((v) => v.trim());
      names.forEach((name, i) => shown.set(name, values[i] ?? ""));
    }
    const expected: [string, unknown][] = [
      ...Object.entries(CONFIG_DEFAULTS.azure),
      ...Object.entries(CONFIG_DEFAULTS.deployment).map(([k, v]): [string, unknown] => [`deployments[].${k}`, v]),
      ...Object.entries(CONFIG_DEFAULTS.proxy),
      ...Object.entries(CONFIG_DEFAULTS.networkPolicy).map(([k, v]): [string, unknown] => [`networkPolicy.${k}`, v]),
    ];
    for (const [key, value] of expected) {
      const text = typeof value === "string" ? value : JSON.stringify(value);
      // A row may list a block's keys after the first without its prefix (`networkPolicy.a` / `b`).
      const cell = shown.get(key) ?? shown.get(key.slice(key.lastIndexOf(".") + 1));
      assert.equal(cell, `\`${text}\``, `README row for ${key}`);
    }
  });
});
