/** The dated model table, the warnings it drives, and the example stacks that must follow it. */
import * as assert from "assert";
import * as path from "path";
import {
  EXAMPLE_MODELS,
  MODEL_LIFECYCLE,
  MODEL_TABLE_DATE,
  RETIREMENT_WARNING_DAYS,
  lifecycleOf,
  modelWarnings,
} from "../azure/models";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, stackConfig } from "./support/program";

const pinned = (model: string, version: string, versionUpgradeOption = "OnceCurrentVersionExpired") => ({
  name: "chat",
  model,
  version,
  versionUpgradeOption,
});

describe("Azure OpenAI model table", () => {
  it("has one row per model version, with ISO dates, deprecation before retirement", () => {
    const keys = MODEL_LIFECYCLE.map((r) => `${r.model} ${r.version}`);
    assert.strictEqual(new Set(keys).size, keys.length);
    for (const row of MODEL_LIFECYCLE) {
      assert.match(row.retirement, /^\d{4}-\d{2}-\d{2}$/);
      if (row.deprecation) assert.ok(row.deprecation < row.retirement, `${row.model} ${row.version}`);
    }
    assert.match(MODEL_TABLE_DATE, /^\d{4}-\d{2}-\d{2}$/);
  });

  for (const stack of ["dev", "prod"]) {
    it(`Pulumi.${stack}.yaml deploys the table's example model, with the upgrade option explicit`, () => {
      for (const d of stackConfig(stack).azure.deployments) {
        assert.deepStrictEqual(
          { model: d.model, version: d.version },
          EXAMPLE_MODELS.chat,
          path.basename(`Pulumi.${stack}.yaml`),
        );
        assert.ok(lifecycleOf(d.model, d.version));
        assert.strictEqual(d.versionUpgradeOption, "OnceCurrentVersionExpired");
      }
    });
  }

  it("the example model is still offered to new subscriptions on the table's date", () => {
    const row = lifecycleOf(EXAMPLE_MODELS.chat.model, EXAMPLE_MODELS.chat.version)!;
    assert.ok(!row.deprecation || row.deprecation > MODEL_TABLE_DATE);
  });

  it("the program logs a warning through pulumi.log.warn for a retired pinned version", async () => {
    const warned: string[] = [];
    const original = pulumi.log.warn;
    (pulumi.log as { warn: typeof original }).warn = async (message: string) => {
      warned.push(message);
    };
    try {
      await evaluate(
        stackConfig("dev", (raw) =>
          Object.assign(raw["dbx-aoai-link:azure"].deployments[0], { model: "gpt-4o-mini", version: "2024-07-18" }),
        ),
      );
    } finally {
      (pulumi.log as { warn: typeof original }).warn = original;
    }
    assert.deepStrictEqual(warned.filter((w) => w.includes("azure.deployments")).length, 1, warned.join("\n"));
    assert.match(
      warned.find((w) => w.includes("azure.deployments"))!,
      /gpt-4o-mini 2024-07-18 retired on 2026-03-31/,
    );
  });

  describe("warnings", () => {
    it("says nothing about a version far from deprecation and retirement", () => {
      assert.deepStrictEqual(modelWarnings([pinned("gpt-5.2", "2025-12-11")], "2026-06-01"), []);
    });

    it("warns within the window before retirement, naming the key, date, days left and replacement", () => {
      const [warning, ...more] = modelWarnings([pinned("gpt-4.1-mini", "2025-04-14")], "2026-08-15");
      assert.strictEqual(more.length, 0);
      assert.match(
        warning,
        /^dbx-aoai-link:azure\.deployments\[0\] \(chat\): gpt-4\.1-mini 2025-04-14 retires on 2026-10-14 \(in 60 days\); Azure then upgrades it \(versionUpgradeOption OnceCurrentVersionExpired\)\. Move to gpt-5-mini\./,
      );
      assert.ok(60 <= RETIREMENT_WARNING_DAYS);
    });

    it("says a NoAutoUpgrade deployment stops answering, and a retired version is retired", () => {
      const [warning] = modelWarnings([pinned("gpt-4o", "2024-11-20", "NoAutoUpgrade")], "2026-12-01");
      assert.match(
        warning,
        /gpt-4o 2024-11-20 retired on 2026-06-05; the deployment \(versionUpgradeOption NoAutoUpgrade\) then stops answering\. Move to gpt-5\.1\./,
      );
    });

    it("warns that a deprecated version is refused to new subscriptions", () => {
      const [warning] = modelWarnings([pinned("gpt-5-mini", "2025-08-07")], "2026-09-01");
      assert.match(warning, /is deprecated since 2026-08-07: Azure refuses it to subscriptions that never deployed it/);
    });

    it("warns about a version the table does not know, pointing at the source", () => {
      const [warning] = modelWarnings([pinned("gpt-9", "2030-01-01")], "2026-12-01");
      assert.match(
        warning,
        /gpt-9 2030-01-01 is not in the model table of \d{4}-\d{2}-\d{2} \(azure\/models\.ts\); check its retirement date at https:\/\/learn\.microsoft\.com/,
      );
    });
  });
});
