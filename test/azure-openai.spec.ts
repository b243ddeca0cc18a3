import * as assert from "assert";
import { evaluate, type Evaluation, stackConfig, valueOf } from "./support/program";
import { printable } from "../plan/run";
import { TYPES as T } from "../plan/resourceTypes";

type Json = Record<string, any>;
const { account: ACCOUNT, deployment: DEPLOYMENT, resourceGroup: RESOURCE_GROUP } = T;

describe("Azure OpenAI account (under mocks)", () => {
  let dev: Evaluation;
  let props: Json;
  before(async () => {
    dev = await evaluate(stackConfig("dev"));
    props = dev.one(ACCOUNT).inputs.properties as Json;
  });

  it("is an OpenAI account whose custom subdomain is the account name", () => {
    const account = dev.one(ACCOUNT).inputs;
    assert.strictEqual(account.kind, "OpenAI");
    assert.strictEqual(account.accountName, "contoso-aoai-dev");
    assert.strictEqual(props.customSubDomainName, "contoso-aoai-dev");
  });

  it("denies by default with no bypass; public network access stays on for the allow list", () => {
    assert.strictEqual(props.publicNetworkAccess, "Enabled");
    assert.strictEqual(props.networkAcls.defaultAction, "Deny");
    assert.strictEqual(props.networkAcls.bypass, "None");
  });

  it("allows exactly the pool's addresses", async () => {
    const pool = dev.all(T.eip).map((e) => e.outputs.publicIp as string);
    assert.deepStrictEqual(
      props.networkAcls.ipRules.map((r: Json) => r.value),
      [...pool].sort(),
    );
    assert.deepStrictEqual(await valueOf(dev.outputs.egressIps), [...pool].sort());
  });

  it("adds operator addresses to the pool, sorted with it", async () => {
    const e = await evaluate(
      stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:azure"].extraAllowedIps = ["20.30.40.50", "198.51.100.0/28"];
      }),
    );
    const rules = (e.one(ACCOUNT).inputs.properties as Json).networkAcls.ipRules.map((r: Json) => r.value);
    assert.deepStrictEqual(rules, ["20.30.40.50", "198.51.100.0/28", ...(await valueOf(e.outputs.egressIps))]);
  });

  it("exposes the endpoint and FQDN of the custom subdomain", async () => {
    assert.strictEqual(await valueOf(dev.outputs.azureOpenAiEndpoint), "https://contoso-aoai-dev.openai.azure.com/");
    assert.strictEqual(await valueOf(dev.outputs.azureOpenAiFqdn), "contoso-aoai-dev.openai.azure.com");
  });

  it("creates model deployments one after another", async () => {
    const e = await evaluate(
      stackConfig("dev", (raw) => {
        const [first] = raw["dbx-aoai-link:azure"].deployments;
        raw["dbx-aoai-link:azure"].deployments = [
          first,
          { ...first, name: "gpt-5.2-b" },
          { ...first, name: "gpt-5.2-c" },
        ];
      }),
    );
    const deployments = e.all(DEPLOYMENT);
    assert.deepStrictEqual(
      deployments.map((d) => d.inputs.deploymentName),
      ["gpt-5.2", "gpt-5.2-b", "gpt-5.2-c"],
    );
    const waitsFor = (i: number) =>
      deployments.filter((d) => deployments[i].dependsOn.some((u) => u.endsWith(`::${d.name}`))).map((d) => d.name);
    assert.deepStrictEqual(waitsFor(0), []);
    assert.deepStrictEqual(waitsFor(1), [deployments[0].name]);
    assert.deepStrictEqual(waitsFor(2), [deployments[1].name]);
    assert.deepStrictEqual(await valueOf(e.outputs.deployments), {
      "gpt-5.2": "gpt-5.2",
      "gpt-5.2-b": "gpt-5.2",
      "gpt-5.2-c": "gpt-5.2",
    });
  });

  it("deploys the configured model, version, SKU and capacity", () => {
    const d = dev.one(DEPLOYMENT).inputs;
    assert.deepStrictEqual(d.properties.model, { format: "OpenAI", name: "gpt-5.2", version: "2025-12-11" });
    assert.deepStrictEqual(d.sku, { name: "GlobalStandard", capacity: 10 });
  });

  it("lets Azure upgrade a retiring version by default, and takes the configured upgrade option", async () => {
    const byDefault = await evaluate(
      stackConfig("dev", (raw) => {
        delete raw["dbx-aoai-link:azure"].deployments[0].versionUpgradeOption;
      }),
    );
    assert.strictEqual(byDefault.one(DEPLOYMENT).inputs.properties.versionUpgradeOption, "OnceCurrentVersionExpired");
    const pinned = await evaluate(
      stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:azure"].deployments[0].versionUpgradeOption = "NoAutoUpgrade";
      }),
    );
    assert.strictEqual(pinned.one(DEPLOYMENT).inputs.properties.versionUpgradeOption, "NoAutoUpgrade");
  });

  it("restores a soft-deleted account only when azure.restoreSoftDeleted is set", async () => {
    assert.strictEqual(props.restore, undefined, "restore on an account that is not soft-deleted fails the create");
    const restoring = await evaluate(
      stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:azure"].restoreSoftDeleted = true;
      }),
    );
    assert.strictEqual((restoring.one(ACCOUNT).inputs.properties as Json).restore, true);
  });

  it("creates the resource group unless told to use an existing one", async () => {
    assert.strictEqual(dev.one(RESOURCE_GROUP).inputs.resourceGroupName, "rg-aoai-dev");
    const existing = await evaluate(
      stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:azure"].existingResourceGroup = true;
      }),
    );
    assert.strictEqual(existing.all(RESOURCE_GROUP).length, 0);
    assert.strictEqual(existing.one(ACCOUNT).inputs.resourceGroupName, "rg-aoai-dev");
  });

  it("never shows the account key in clear text anywhere", () => {
    const everything = JSON.stringify(dev.resources.map((r) => printable(r.inputs)));
    assert.ok(!everything.includes("mock-key1"), "the key appears in clear text");
    assert.ok(everything.includes("[secret]"));
  });
});
