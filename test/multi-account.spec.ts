/** Several Azure OpenAI accounts behind one proxy tier (azure.accounts[], docs/multiple-accounts.md). */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
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
import { MOCK_AZURE_SUBSCRIPTION_ID, RecordingMocks } from "../plan/mocks";
import { checkExistingAccount, EXISTING_ACCOUNT_PREFLIGHT } from "../preflight/existingAccount";
import { readExistingAccountFacts } from "../preflight/existingAccountFacts";
import { PROJECT, type StackConfig } from "../config/types";
import { preflight } from "../preflight/gate";
import { AZURE_MODELS_PREFLIGHT, checkAzureModels } from "../preflight/azureModels";
import { azureModelFacts } from "../preflight/azureModelsFacts";
import { effectiveConfigSection } from "../plan/sections/effectiveConfig";
import type { Plan } from "../plan/run";
import { type LoopbackServer, serveOnLoopback } from "./support/loopbackServer";

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

/** The error a preflight gate ends the program with; undefined when it passes. */
function failure(gate: pulumi.Output<unknown>): Promise<unknown> {
  return (gate as unknown as { promise(): Promise<unknown> }).promise().then(
    () => undefined,
    (e: unknown) => e,
  );
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
        keys: {
          name: "dbx-aoai-link:azure.accountName",
          location: "azure-native:location",
          resourceGroupName: "dbx-aoai-link:azure.resourceGroupName",
          deployments: "dbx-aoai-link:azure.deployments",
        },
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

  it("names the first entry's keys when azure.existingAccount names another account", () => {
    const adoptOther = (raw: Raw) =>
      (azure(raw).existingAccount =
        `/subscriptions/${MOCK_AZURE_SUBSCRIPTION_ID}/resourceGroups/rg-other/providers/Microsoft.CognitiveServices/accounts/other-aoai`);
    rejects(
      adoptOther,
      `dbx-aoai-link:azure.accounts[0].name = "contoso-aoai-dev": differs from the adopted account's name`,
      "Fix: set accounts[0].name: other-aoai",
    );
    rejects(
      adoptOther,
      `dbx-aoai-link:azure.accounts[0].resourceGroupName = "rg-aoai-dev": differs`,
      "Fix: set accounts[0].resourceGroupName: rg-other",
    );
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

  it("shows every account in the effective configuration; one account stays as compact as before", () => {
    const section = (e: Evaluation, resources = e.resources) =>
      effectiveConfigSection({ recorded: resources, config: e.config } as unknown as Plan);
    const text = section(two);
    assert.match(
      text,
      /\n {2}Azure account +contoso-aoai-dev in rg-aoai-dev, eastus2 \(created resource group\)\n {4}model gpt-5\.2 +gpt-5\.2 2025-12-11, GlobalStandard × 10k TPM/,
    );
    assert.match(
      text,
      /\n {2}Azure account +contoso-aoai-dev-swc in rg-aoai-dev-swc, swedencentral \(created resource group\)\n {4}model gpt-5\.2-swc +gpt-5\.2 2025-12-11, GlobalStandard × 20k TPM/,
    );
    assert.match(text, /Azure firewall +default Deny, 5 IP rules \(limit 100\), the same on every account\n/);
    assert.strictEqual((text.match(/ pool EIP$/gm) ?? []).length, 5, "the shared rules once");
    assert.match(text, /serving endpoint +aoai-chat → deployment gpt-5\.2-swc of contoso-aoai-dev-swc \(/);
    // Each account's rules are read back: one that differs is shown apart, its stray rule flagged.
    const stray = two.resources.map((r) =>
      r.type === T.account && r.inputs.accountName === "contoso-aoai-dev-swc"
        ? {
            ...r,
            inputs: {
              ...r.inputs,
              properties: {
                ...r.inputs.properties,
                networkAcls: {
                  ...r.inputs.properties.networkAcls,
                  ipRules: [...r.inputs.properties.networkAcls.ipRules, { value: "203.0.113.9" }],
                },
              },
            },
          }
        : r,
    );
    const apart = section(two, stray);
    assert.match(apart, /Azure firewall +contoso-aoai-dev: default Deny, 5 IP rules \(limit 100\)\n/);
    assert.match(apart, /Azure firewall +contoso-aoai-dev-swc: default Deny, 6 IP rules \(limit 100\)\n/);
    assert.match(apart, /203\.0\.113\.9 +NOT FROM CONFIG/);
    // One account: no location on the account line (it is in the header row), no "every account".
    const single = section(dev);
    assert.match(single, /\n {2}Azure firewall +default Deny, 5 IP rules \(limit 100\)\n/);
    assert.match(single, /\n {2}Azure account +contoso-aoai-dev in rg-aoai-dev \(created resource group\)\n/);
    assert.doesNotMatch(single, /every account| of contoso/);
    assert.strictEqual(section(migrated), single, "the migrated dev stack shows the same");
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

describe("several Azure OpenAI accounts (models and quota preflight)", () => {
  // Resource Manager on 127.0.0.1: gpt-5.2 offered in both regions, with a small quota in swedencentral.
  let server: LoopbackServer;
  let base: string;
  const seen: string[] = [];
  before(async () => {
    server = await serveOnLoopback((req, res) => {
      const path = (req.url ?? "").split("?")[0];
      seen.push(path);
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const usage = "OpenAI.GlobalStandard.gpt-5.2";
      const at = /\/locations\/(eastus2|swedencentral)\/(models|usages)$/.exec(path);
      if (at?.[2] === "models")
        return send(200, {
          value: [
            {
              kind: "OpenAI",
              model: { name: "gpt-5.2", version: "2025-12-11", skus: [{ name: "GlobalStandard", usageName: usage }] },
            },
          ],
        });
      if (at?.[2] === "usages")
        return send(200, {
          value: [{ name: { value: usage }, currentValue: 0, limit: at[1] === "swedencentral" ? 15 : 1000 }],
        });
      if (/\/accounts\/[^/]+\/deployments$/.test(path)) return send(404, { error: { code: "ResourceNotFound" } });
      return send(500, {});
    });
    base = server.base;
  });
  after(async () => {
    await server.close();
  });

  /** The program's preflight gate over the facts it reads, with a Resource Manager token. */
  async function gate(config: StackConfig): Promise<unknown> {
    class WithToken extends RecordingMocks {
      invoke(args: { token: string; inputs: Record<string, any> }): Record<string, unknown> {
        return args.token === "azure-native:authorization:getClientToken" ? { token: "arm-token" } : super.invoke(args);
      }
    }
    await new WithToken({ awsRegion: config.awsRegion }).install(PROJECT, config.stack);
    return failure(
      preflight(AZURE_MODELS_PREFLIGHT.name, azureModelFacts(config, { armBaseUrl: base }), (facts) =>
        facts ? checkAzureModels(facts) : [],
      ),
    );
  }
  const lowerSwc = (raw: Raw) => (azure(raw).accounts[1].deployments[0].capacity = 10);

  it("reads every account's location, deployments and quota, and passes the example", async () => {
    seen.length = 0;
    assert.strictEqual(await gate(example(lowerSwc)), undefined);
    for (const read of [
      "/locations/eastus2/models",
      "/locations/eastus2/usages",
      "/locations/swedencentral/models",
      "/locations/swedencentral/usages",
      "/resourceGroups/rg-aoai-dev/providers/Microsoft.CognitiveServices/accounts/contoso-aoai-dev/deployments",
      "/resourceGroups/rg-aoai-dev-swc/providers/Microsoft.CognitiveServices/accounts/contoso-aoai-dev-swc/deployments",
    ])
      assert.strictEqual(seen.filter((p) => p.endsWith(read)).length, 1, `${read} in ${seen.join(", ")}`);
  });

  it("stops on a model the second account's location does not offer, naming that entry and the fix", async () => {
    const error = await gate(
      example((raw) => {
        lowerSwc(raw);
        azure(raw).accounts[1].deployments[0].model = "gpt-9";
      }),
    );
    assert.ok(pulumi.RunError.isInstance(error), String(error));
    assert.match(
      (error as Error).message,
      /^Preflight "Azure models and quota" failed: 1 problem\n {2}- dbx-aoai-link:azure\.accounts\[1\]\.deployments\[0\]\.model = "gpt-9": gpt-9 is not offered in swedencentral to this subscription\. Fix: choose another dbx-aoai-link:azure\.accounts\[1\]\.location where the model is offered/,
    );
  });

  it("stops when the second account asks for more than its region's quota", async () => {
    const error = await gate(example());
    assert.ok(pulumi.RunError.isInstance(error), String(error));
    assert.match(
      (error as Error).message,
      /- dbx-aoai-link:azure\.accounts\[1\]\.deployments\[0\]\.capacity = 20: gpt-5\.2-swc \(contoso-aoai-dev-swc\) asks for 20K tokens\/min of OpenAI\.GlobalStandard\.gpt-5\.2 in swedencentral, .*\(15K free\)/,
    );
  });

  it("names the single-account keys as before for a single-account stack", async () => {
    const error = await gate(stackConfig("dev", (raw) => (raw["dbx-aoai-link:azure"].deployments[0].model = "gpt-9")));
    assert.match(
      (error as Error).message,
      /- dbx-aoai-link:azure\.deployments\[0\]\.model = "gpt-9": gpt-9 is not offered in eastus2.*Fix: choose another azure-native:location/,
    );
  });
});

describe("several Azure OpenAI accounts (adopting the primary)", () => {
  it("names the first entry's location when the adopted account lies elsewhere", async () => {
    const id = `/subscriptions/${MOCK_AZURE_SUBSCRIPTION_ID}/resourceGroups/rg-aoai-dev/providers/Microsoft.CognitiveServices/accounts/contoso-aoai-dev`;
    const config = example((raw) => {
      azure(raw).existingAccount = id;
      azure(raw).accounts[0].location = "westeurope";
    });
    await new RecordingMocks({ awsRegion: config.awsRegion }).install(PROJECT, config.stack);
    const error = await failure(
      preflight(EXISTING_ACCOUNT_PREFLIGHT.name, readExistingAccountFacts(config, id), checkExistingAccount),
    );
    assert.ok(pulumi.RunError.isInstance(error), String(error));
    assert.match(
      (error as Error).message,
      /- dbx-aoai-link:azure\.accounts\[0\]\.location = "westeurope": differs from the adopted account's location .* Fix: set dbx-aoai-link:azure\.accounts\[0\]\.location to eastus2/,
    );
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
