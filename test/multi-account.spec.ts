/** Several Azure OpenAI accounts behind one proxy tier (azure.accounts[], docs/multiple-accounts.md). */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseRawConfig } from "../config/load";
import { validateStackConfig } from "../config/validate";
import { MAX_RULE_DOMAIN_NAMES } from "../config/azureAccounts";
import { readStackConfigFile } from "../plan/run";
import { TYPES as T } from "../plan/resourceTypes";
import { extractHaproxyConfig } from "../aws/userData";
import { assertConfigError } from "./support/configError";
import { evaluate, type Evaluation, stackConfig, valueOf } from "./support/program";
import { physicalNames, type PhysicalNames } from "./support/physicalNames";
import { ROOT, runPlanCli } from "./support/planCli";

type Raw = Record<string, any>;
const EXAMPLE = path.join(ROOT, "examples", "multi-account", "Pulumi.multi-account.yaml");
const exampleRaw = (): Raw => parseRawConfig(readStackConfigFile(EXAMPLE).values);
const example = (edit?: (raw: Raw) => void) => {
  const raw = JSON.parse(JSON.stringify(exampleRaw())) as Raw;
  edit?.(raw);
  return validateStackConfig("dev", raw);
};
const azure = (raw: Raw) => raw["dbx-aoai-link:azure"] as Raw;
const DEV_FQDN = "contoso-aoai-dev.openai.azure.com";
const SWC_FQDN = "contoso-aoai-dev-swc.openai.azure.com";

/** dev's single-account keys rewritten as one `accounts` entry: the documented migration. */
function devMigrated(raw: Raw): void {
  const a = azure(raw);
  a.accounts = [{ name: a.accountName, resourceGroupName: a.resourceGroupName, deployments: a.deployments }];
  for (const single of ["accountName", "resourceGroupName", "deployments"]) delete a[single];
}

function rejects(edit: (raw: Raw) => void, ...fragments: string[]): void {
  assertConfigError(() => example(edit), ...fragments);
}

describe("several Azure OpenAI accounts (config)", () => {
  it("reads the single-account keys as one account, the primary, in azure-native:location", () => {
    const config = stackConfig("dev");
    assert.deepStrictEqual(config.azure.accounts, [
      {
        name: "contoso-aoai-dev",
        location: "eastus2",
        resourceGroupName: "rg-aoai-dev",
        existingResourceGroup: false,
        deployments: config.azure.deployments,
      },
    ]);
  });

  it("reads azure.accounts, the first entry filling the single-account fields", () => {
    const config = example();
    assert.deepStrictEqual(
      config.azure.accounts.map((a) => [a.name, a.location, a.resourceGroupName]),
      [
        ["contoso-aoai-dev", "eastus2", "rg-aoai-dev"],
        ["contoso-aoai-dev-swc", "swedencentral", "rg-aoai-dev-swc"],
      ],
    );
    assert.strictEqual(config.azure.accountName, "contoso-aoai-dev");
    assert.strictEqual(config.databricks.servingEndpoint!.account, "contoso-aoai-dev-swc");
  });

  it("refuses single-account keys beside azure.accounts, naming where they go", () => {
    rejects(
      (raw) => (azure(raw).accountName = "contoso-aoai-dev"),
      "dbx-aoai-link:azure.accountName",
      "is a single-account key, and azure.accounts is set",
      "first entry of azure.accounts (as name)",
    );
  });

  it(`refuses more accounts than the NCC rule's ${MAX_RULE_DOMAIN_NAMES} domain names`, () => {
    rejects(
      (raw) => {
        const [first] = azure(raw).accounts;
        azure(raw).accounts = Array.from({ length: MAX_RULE_DOMAIN_NAMES + 1 }, (_, i) => ({
          ...first,
          name: `contoso-aoai-${i}`,
        }));
      },
      "dbx-aoai-link:azure.accounts = 11",
      "at most 10 domain names",
    );
  });

  it("refuses an account listed twice and an entry's unknown key", () => {
    rejects(
      (raw) => (azure(raw).accounts[1].name = "contoso-aoai-dev"),
      'azure.accounts[1].name = "contoso-aoai-dev"',
      "listed twice",
    );
    rejects((raw) => (azure(raw).accounts[1].accountName = "x"), "azure.accounts[1].accountName", "unknown key");
  });

  it("finds the served deployment in whichever account has it; asks for the account when several do", () => {
    const config = example((raw) => delete raw["dbx-aoai-link:databricks"].servingEndpoint.account);
    assert.strictEqual(config.databricks.servingEndpoint!.account, "contoso-aoai-dev-swc");
    rejects(
      (raw) => {
        azure(raw).accounts[1].deployments[0].name = "gpt-5.2";
        raw["dbx-aoai-link:databricks"].servingEndpoint.deployment = "gpt-5.2";
        delete raw["dbx-aoai-link:databricks"].servingEndpoint.account;
      },
      "servingEndpoint.deployment",
      "several accounts (contoso-aoai-dev, contoso-aoai-dev-swc)",
      "servingEndpoint.account",
    );
    rejects(
      (raw) => (raw["dbx-aoai-link:databricks"].servingEndpoint.account = "nope"),
      'servingEndpoint.account = "nope"',
      "use one of contoso-aoai-dev, contoso-aoai-dev-swc",
    );
  });
});

describe("several Azure OpenAI accounts (under mocks)", () => {
  let dev: Evaluation;
  let migrated: Evaluation;
  let two: Evaluation;
  before(async () => {
    dev = await evaluate(stackConfig("dev"));
    migrated = await evaluate(stackConfig("dev", devMigrated));
    two = await evaluate(example());
  });

  it("the migrated dev stack plans exactly as before: same URNs, same inputs", () => {
    // Registration order follows async timing; the set of URNs and each one's inputs are what count.
    const byUrn = (e: Evaluation) => Object.fromEntries(e.resources.map((r) => [r.urn, r.inputs]));
    assert.deepStrictEqual(byUrn(migrated), byUrn(dev));
    assert.strictEqual(migrated.resources.length, dev.resources.length);
  });

  it("adding a second account keeps every dev resource's URN and physical names (no replacement)", () => {
    const fixture: PhysicalNames = JSON.parse(
      fs.readFileSync(path.join(__dirname, "fixtures", "physical-names-dev.json"), "utf8"),
    );
    const now = physicalNames(two.resources);
    for (const [urn, names] of Object.entries(fixture)) {
      assert.ok(urn in now, `${urn} is gone`);
      assert.deepStrictEqual(now[urn], names, urn);
    }
  });

  it("gives every account's firewall the whole pool, default Deny", () => {
    const pool = two
      .all(T.eip)
      .map((e) => e.outputs.publicIp)
      .sort();
    const accounts = two.all(T.account);
    assert.deepStrictEqual(accounts.map((a) => a.inputs.accountName).sort(), [
      "contoso-aoai-dev",
      "contoso-aoai-dev-swc",
    ]);
    for (const account of accounts) {
      const acls = account.inputs.properties.networkAcls;
      assert.strictEqual(acls.defaultAction, "Deny");
      assert.deepStrictEqual(acls.ipRules.map((r: Raw) => r.value).sort(), pool, account.name);
    }
    assert.strictEqual(two.one(T.account, "aoai-contoso-aoai-dev-swc-account").inputs.location, "swedencentral");
  });

  it("lists every FQDN in the NCC rule and the network policy, and on the proxies with one backend each", () => {
    assert.deepStrictEqual(two.one(T.nccRule).inputs.domainNames, [DEV_FQDN, SWC_FQDN]);
    const destinations = two
      .one(T.policy)
      .inputs.egress.networkAccess.allowedInternetDestinations.map((d: Raw) => d.destination);
    assert.ok(destinations.includes(DEV_FQDN) && destinations.includes(SWC_FQDN), JSON.stringify(destinations));
    const haproxy = extractHaproxyConfig(
      Buffer.from(String(two.one(T.launchTemplate).inputs.userData), "base64").toString("utf8"),
    );
    assert.match(haproxy, new RegExp(`acl sni_allowed req\\.ssl_sni -i ${DEV_FQDN} ${SWC_FQDN}\\n`));
    assert.strictEqual((haproxy.match(/^backend /gm) ?? []).length, 2);
    assert.strictEqual((haproxy.match(/check-sni /g) ?? []).length, 2, "one health check per backend");
  });

  it("serves the chosen account's deployment and reads the key of that account only", () => {
    const model = two.one(T.serving).inputs.config.servedEntities[0].externalModel.openaiConfig;
    assert.strictEqual(model.openaiApiBase, `https://${SWC_FQDN}/`);
    assert.strictEqual(model.openaiDeploymentName, "gpt-5.2-swc");
    const keyReads = two.invokes.filter((i) => i.token === "azure-native:cognitiveservices:listAccountKeys");
    assert.deepStrictEqual(
      keyReads.map((i) => i.inputs.accountName),
      ["contoso-aoai-dev-swc"],
    );
  });

  it("adds plural outputs beside the singular ones, which keep describing the primary", async () => {
    assert.strictEqual(await valueOf(two.outputs.azureOpenAiFqdn), DEV_FQDN);
    assert.deepStrictEqual(await valueOf(two.outputs.azureOpenAiFqdns), [DEV_FQDN, SWC_FQDN]);
    assert.deepStrictEqual(await valueOf(two.outputs.azureOpenAiAccounts), {
      "contoso-aoai-dev": {
        endpoint: `https://${DEV_FQDN}/`,
        fqdn: DEV_FQDN,
        location: "eastus2",
        deployments: { "gpt-5.2": "gpt-5.2" },
      },
      "contoso-aoai-dev-swc": {
        endpoint: `https://${SWC_FQDN}/`,
        fqdn: SWC_FQDN,
        location: "swedencentral",
        deployments: { "gpt-5.2-swc": "gpt-5.2" },
      },
    });
  });
});

describe("the two-account example through `npm run plan` (child process)", function () {
  this.timeout(600_000);
  it("plans, and the wiring finds every account's links intact", () => {
    const run = runPlanCli(["--stack", "multi-account", "--config-file", EXAMPLE]);
    assert.strictEqual(run.status, 0, run.stderr);
    assert.ok(!run.stdout.includes("✘"), run.stdout);
    const wiring = run.json!.wiring;
    assert.ok(wiring.every((l) => l.ok));
    const rule = wiring.find((l) => l.to === "NCC private endpoint rule domainNames")!;
    assert.deepStrictEqual(rule.value, [DEV_FQDN, SWC_FQDN]);
    for (const name of ["contoso-aoai-dev", "contoso-aoai-dev-swc"]) {
      assert.ok(
        wiring.some((l) => l.to === `Azure account ${name} networkAcls.ipRules` && l.ok),
        name,
      );
      assert.ok(
        wiring.some((l) => l.from === `Azure account ${name} FQDN` && l.ok),
        name,
      );
    }
    assert.deepStrictEqual(run.json!.outputs.azureOpenAiFqdns, [DEV_FQDN, SWC_FQDN]);
  });
});
