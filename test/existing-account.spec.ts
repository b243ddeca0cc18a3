/**
 * `azure.existingAccount`: a shared Azure OpenAI account adopted with Pulumi's `import` option,
 * protected and kept on destroy, its firewall rules merged with the pool. Config, the preflight's
 * verdicts, and what the program registers (under mocks, which record the registration options).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, stackConfig, valueOf, type Evaluation } from "./support/program";
import { RecordingMocks } from "../plan/mocks";
import { TYPES as T } from "../plan/resourceTypes";
import {
  MOCK_AZURE_SUBSCRIPTION_ID,
  MOCK_EXISTING_ACCOUNT_IP,
  MOCK_EXISTING_ACCOUNT_LOCATION,
} from "../engine/inventedValues";
import { ConfigError } from "../config/issues";
import { checkExistingAccount, type ExistingAccountFacts } from "../preflight/existingAccount";
import { preflightMessage } from "../preflight/check";
import { mergedIpRules } from "../azure/accountAdoption";
import { readExistingAccountFacts } from "../preflight/existingAccountFacts";
import { PROJECT } from "../config/types";
import { type LoopbackServer, serveOnLoopback } from "./support/loopbackServer";
import * as path from "path";
import { ROOT } from "./support/planCli";
import { readStackConfigFile } from "../plan/run";
import { parseRawConfig } from "../config/load";
import { validateStackConfig } from "../config/validate";
import { openAiFqdn } from "../azure/openAiAccount";
import { lifecycleOf } from "../plan/sections/lifecycle";

const ID = `/subscriptions/${MOCK_AZURE_SUBSCRIPTION_ID}/resourceGroups/rg-aoai-dev/providers/Microsoft.CognitiveServices/accounts/contoso-aoai-dev`;

function adopting(edit?: (azure: Record<string, unknown>) => void) {
  return stackConfig("dev", (raw) => {
    raw["dbx-aoai-link:azure"].existingAccount = ID;
    edit?.(raw["dbx-aoai-link:azure"]);
  });
}

function configError(edit: (azure: Record<string, unknown>) => void): string {
  try {
    adopting(edit);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  return assert.fail("expected a ConfigError");
}

const facts = (over: Partial<ExistingAccountFacts> = {}, account: Partial<ExistingAccountFacts["account"]> = {}) =>
  ({
    id: ID,
    accountName: "contoso-aoai-dev",
    location: "eastus2",
    locationKey: "azure-native:location",
    auth: "key",
    subscriptionId: MOCK_AZURE_SUBSCRIPTION_ID,
    stack: "dev",
    deploymentsKey: "azure.deployments",
    deploymentNames: ["gpt-5.2"],
    account: {
      kind: "OpenAI",
      location: "East US 2",
      customSubDomainName: "contoso-aoai-dev",
      publicNetworkAccess: "Enabled",
      defaultAction: "Deny",
      disableLocalAuth: false,
      ipRules: ["198.51.100.7"],
      virtualNetworkRules: [],
      bypass: "AzureServices",
      tags: {},
      skuName: "S0",
      ...account,
    },
    ...over,
  }) as ExistingAccountFacts;
const messages = (f: ExistingAccountFacts) => checkExistingAccount(f).map((p) => preflightMessage("x", [p]));

describe("azure.existingAccount", function () {
  this.timeout(120_000);

  describe("config", () => {
    it("takes the account's resource id", () => {
      assert.strictEqual(adopting().azure.existingAccount, ID);
    });

    it("names a malformed id, and a name or group that differs from the id's", () => {
      assert.match(
        configError((azure) => (azure.existingAccount = "contoso-aoai-dev")),
        /azure\.existingAccount = "contoso-aoai-dev": is not an account resource id/,
      );
      const message = configError((azure) => {
        azure.accountName = "other-aoai";
        azure.restoreSoftDeleted = true;
      });
      assert.match(
        message,
        /azure\.accountName = "other-aoai": differs from the adopted account's name .*Fix: set accountName: contoso-aoai-dev/,
      );
      assert.match(message, /azure\.restoreSoftDeleted = true: .*Fix: remove restoreSoftDeleted/);
    });
  });

  describe("preflight (pure)", () => {
    it("passes an OpenAI account behind a Deny firewall in the stack's location (any spelling)", () => {
      assert.deepStrictEqual(checkExistingAccount(facts()), []);
    });

    it("stops before turning a firewall-less account to Deny, which would cut its callers off", () => {
      const [only] = messages(facts({}, { defaultAction: "Allow" }));
      assert.match(
        only,
        /existingAccount = ".*": accepts every address .*Fix: set its firewall to Deny with its callers/,
      );
    });

    it("stops before flipping local auth either way, and on the wrong location or subscription", () => {
      assert.match(
        messages(facts({}, { disableLocalAuth: true }))[0],
        /azure\.auth = "key": needs key auth, .*Fix: set azure\.auth: entra/,
      );
      assert.match(
        messages(facts({ auth: "entra" }))[0],
        /azure\.auth = "entra": turns key auth off .*other users' keys would stop working/,
      );
      assert.match(
        messages(facts({}, { location: "West Europe" }))[0],
        /azure-native:location = "eastus2": .*Fix: set azure-native:location to westeurope/,
      );
      assert.match(
        messages(facts({ subscriptionId: "11111111-1111-4111-8111-111111111111" }))[0],
        /is in subscription 00000000-0000-4000-8000-000000000003, and the azure-native provider deploys into 11111111-.*Fix: set azure-native:subscriptionId/,
      );
    });

    it("stops on an account it cannot read, a wrong subdomain, or private-only access", () => {
      assert.match(
        messages(facts({ account: undefined, readError: "ResourceNotFound" }))[0],
        /cannot be read \(ResourceNotFound\)/,
      );
      assert.match(
        messages(facts({}, { customSubDomainName: "shared" }))[0],
        /custom subdomain shared, not contoso-aoai-dev/,
      );
      assert.match(messages(facts({}, { publicNetworkAccess: "Disabled" }))[0], /public network access disabled/);
    });

    it("merges the pool into the account's rules and removes none", () => {
      assert.deepStrictEqual(mergedIpRules(["198.51.100.7", "203.0.113.10/32"], ["203.0.113.10", "203.0.113.11"]), [
        { value: "198.51.100.7" },
        { value: "203.0.113.10" },
        { value: "203.0.113.11" },
      ]);
    });
  });

  describe("in the program (under mocks)", () => {
    let run: Evaluation;
    before(async () => {
      run = await evaluate(adopting());
    });

    it("emits the import of that id, protected and kept on destroy", () => {
      const account = run.one(T.account);
      assert.strictEqual(account.importId, ID);
      assert.strictEqual(account.protect, true);
      assert.strictEqual(account.retainOnDelete, true);
      const [entry] = lifecycleOf([account]);
      assert.deepStrictEqual([entry.importId, entry.protect, entry.retainOnDelete], [ID, true, true]);
    });

    it("keeps the account's own firewall rule, bypass and tags beside the pool", () => {
      const { properties, tags, sku, location } = run.one(T.account).inputs;
      const rules = properties.networkAcls.ipRules.map((r: { value: string }) => r.value);
      assert.ok(rules.includes(MOCK_EXISTING_ACCOUNT_IP), rules);
      for (const ip of run.all(T.eip).map((e) => e.outputs.publicIp)) assert.ok(rules.includes(ip), ip);
      assert.strictEqual(properties.networkAcls.defaultAction, "Deny");
      assert.strictEqual(properties.networkAcls.bypass, "AzureServices");
      assert.strictEqual(tags.owner, "data-platform");
      assert.strictEqual(tags.project, "dbx-aoai-link");
      assert.deepStrictEqual(sku, { name: "S0" });
      assert.strictEqual(location, MOCK_EXISTING_ACCOUNT_LOCATION);
    });

    it("creates no resource group, and reads the account at preview", () => {
      assert.strictEqual(run.all(T.resourceGroup).length, 0);
      assert.ok(run.invokes.some((i) => i.token === "azure-native:cognitiveservices:getAccount"));
    });
  });

  describe("a Foundry (AIServices) account, or one Azure upgraded to it", () => {
    // Microsoft upgrades Azure OpenAI accounts to Foundry in place (kind AIServices, endpoint on
    // cognitiveservices.azure.com); the Azure OpenAI host <subdomain>.openai.azure.com keeps serving.
    class FoundryAccount extends RecordingMocks {
      /** Registration type → its ignoreChanges (the shared mocks do not keep that option). */
      readonly ignoreChanges = new Map<string, string[]>();
      async install(project: string, stack: string): Promise<void> {
        await super.install(project, stack);
        type Request = { getType(): string; getIgnorechangesList(): string[] };
        const monitor = pulumi.runtime.getMonitor() as unknown as {
          registerResource(req: Request, cb: unknown): Promise<void>;
        };
        const register = monitor.registerResource.bind(monitor);
        monitor.registerResource = (req: Request, cb: unknown) => {
          this.ignoreChanges.set(req.getType(), req.getIgnorechangesList());
          return register(req, cb);
        };
      }
      /** The account answers with its Foundry endpoint, as an upgraded or AIServices account does. */
      computed(args: Parameters<RecordingMocks["computed"]>[0]): ReturnType<RecordingMocks["computed"]> {
        const answer = super.computed(args);
        if (args.type !== T.account) return answer;
        const properties = answer.outputs.properties as Record<string, unknown>;
        const endpoint = `https://${String(properties.customSubDomainName)}.cognitiveservices.azure.com/`;
        return { ...answer, outputs: { ...answer.outputs, properties: { ...properties, endpoint } } };
      }
      invoke(args: { token: string; inputs: Record<string, any> }): Record<string, unknown> {
        const answer = super.invoke(args);
        return args.token === "azure-native:cognitiveservices:getAccount" ? { ...answer, kind: "AIServices" } : answer;
      }
    }
    let run: Evaluation;
    let mocks: FoundryAccount;
    before(async () => {
      const config = adopting();
      mocks = new FoundryAccount({ awsRegion: config.awsRegion });
      run = await evaluate(config, mocks);
    });

    it("keeps the adopted account's kind instead of sending kind OpenAI onto it", () => {
      assert.strictEqual(run.one(T.account).inputs.kind, "AIServices");
    });

    it("never rolls back a kind Azure changed (ignoreChanges kind), adopted or created", async () => {
      assert.deepStrictEqual(mocks.ignoreChanges.get(T.account), ["kind"]);
      const config = stackConfig("dev");
      const fresh = new FoundryAccount({ awsRegion: config.awsRegion });
      const created = await evaluate(config, fresh);
      assert.deepStrictEqual(fresh.ignoreChanges.get(T.account), ["kind"]);
      assert.strictEqual(created.one(T.account).inputs.kind, "OpenAI");
    });

    it("allows, routes and calls the Azure OpenAI host, not the Foundry endpoint's host", async () => {
      const host = "contoso-aoai-dev.openai.azure.com";
      assert.strictEqual(await valueOf(run.outputs.azureOpenAiFqdn), host);
      assert.deepStrictEqual(await valueOf(run.outputs.azureOpenAiFqdns), [host]);
      assert.deepStrictEqual(run.one(T.nccRule).inputs.domainNames, [host]);
      const entity = run.one(T.serving).inputs.config.servedEntities[0];
      assert.strictEqual(entity.externalModel.openaiConfig.openaiApiBase, `https://${host}/`);
    });

    it("gives an OpenAI account the same host and endpoint as its reported endpoint (existing stacks: no diff)", async () => {
      const dev = await evaluate(stackConfig("dev"));
      const reported: string = dev.one(T.account).outputs.properties.endpoint;
      assert.strictEqual(reported, "https://contoso-aoai-dev.openai.azure.com/");
      assert.strictEqual(openAiFqdn("contoso-aoai-dev"), new URL(reported).hostname);
      assert.strictEqual(await valueOf(dev.outputs.azureOpenAiFqdn), new URL(reported).hostname);
      assert.strictEqual(await valueOf(dev.outputs.azureOpenAiEndpoint), reported);
    });
  });

  describe("a configured deployment name the adopted account already has", () => {
    const ours = { project: PROJECT, stack: "dev", "managed-by": "pulumi" };

    it("stops naming the deployment's key, the clash and the fix, before the AWS half is built", () => {
      const [only, ...rest] = messages(facts({ existingDeployments: [{ name: "gpt-5.2", tags: {} }] }));
      assert.deepStrictEqual(rest, []);
      assert.match(
        only,
        /azure\.deployments\[0\]\.name = "gpt-5\.2": the adopted account already has a deployment of that name that this stack did not create .*Fix: .*different name.*import/,
      );
    });

    it("passes the deployments this stack created (tagged with its project and stack) and other names", () => {
      assert.deepStrictEqual(
        checkExistingAccount(facts({ existingDeployments: [{ name: "gpt-5.2", tags: ours }] })),
        [],
      );
      assert.deepStrictEqual(
        checkExistingAccount(facts({ existingDeployments: [{ name: "their-gpt", tags: {} }] })),
        [],
      );
      const otherStack = { ...ours, stack: "prod" };
      assert.strictEqual(messages(facts({ existingDeployments: [{ name: "gpt-5.2", tags: otherStack }] })).length, 1);
    });

    it("tags the deployments it creates on an adopted account, so a later preview knows them", async () => {
      const run = await evaluate(adopting());
      const tags = run.one(T.deployment).inputs.tags;
      assert.strictEqual(tags.project, PROJECT);
      assert.strictEqual(tags.stack, "dev");
    });

    describe("read from Resource Manager (on 127.0.0.1)", () => {
      let server: LoopbackServer;
      const seen: { path: string; auth?: string }[] = [];
      before(async () => {
        server = await serveOnLoopback((req, res) => {
          const path = (req.url ?? "").split("?")[0];
          seen.push({ path, auth: req.headers.authorization });
          const send = (status: number, body: unknown) => {
            res.writeHead(status, { "Content-Type": "application/json" });
            res.end(JSON.stringify(body));
          };
          if (path.startsWith("/denied/")) return send(403, { error: { code: "AuthorizationFailed" } });
          if (path.endsWith("/accounts/contoso-aoai-dev/deployments"))
            return send(200, {
              value: [
                { name: "gpt-5.2", sku: { name: "GlobalStandard", capacity: 50 } },
                { name: "embeddings", tags: { owner: "data-platform" } },
              ],
            });
          return send(404, { error: { code: "NotFound" } });
        });
      });
      after(async () => {
        await server.close();
      });

      class WithToken extends RecordingMocks {
        invoke(args: { token: string; inputs: Record<string, any> }): Record<string, unknown> {
          return args.token === "azure-native:authorization:getClientToken"
            ? { token: "arm-token" }
            : super.invoke(args);
        }
      }

      it("lists the account's deployments and the check names the clash", async () => {
        const config = adopting();
        await new WithToken({ awsRegion: config.awsRegion }).install(PROJECT, config.stack);
        const read = await valueOf(readExistingAccountFacts(config, ID, { armBaseUrl: server.base }));
        assert.deepStrictEqual(read.existingDeployments, [
          { name: "gpt-5.2", tags: {} },
          { name: "embeddings", tags: { owner: "data-platform" } },
        ]);
        assert.ok(
          seen.some(
            (s) =>
              s.path ===
                "/subscriptions/00000000-0000-4000-8000-000000000003/resourceGroups/rg-aoai-dev/providers/Microsoft.CognitiveServices/accounts/contoso-aoai-dev/deployments" &&
              s.auth === "Bearer arm-token",
          ),
          JSON.stringify(seen),
        );
        assert.match(messages(read).join("\n"), /azure\.deployments\[0\]\.name = "gpt-5\.2"/);
      });

      it("names the accounts[] key form when the accounts are configured as a list", async () => {
        const raw = parseRawConfig(
          readStackConfigFile(path.join(ROOT, "examples", "multi-account", "Pulumi.multi-account.yaml")).values,
        ) as Record<string, any>;
        raw["dbx-aoai-link:azure"].existingAccount = ID;
        const config = validateStackConfig("dev", raw);
        await new WithToken({ awsRegion: config.awsRegion }).install(PROJECT, config.stack);
        const read = await valueOf(readExistingAccountFacts(config, ID, { armBaseUrl: server.base }));
        assert.match(messages(read).join("\n"), /azure\.accounts\[0\]\.deployments\[0\]\.name = "gpt-5\.2"/);
      });

      it("without a token (offline) or a readable list, reads nothing and stops nothing", async () => {
        const config = adopting();
        await new RecordingMocks({ awsRegion: config.awsRegion }).install(PROJECT, config.stack);
        const offline = await valueOf(readExistingAccountFacts(config, ID, { armBaseUrl: server.base }));
        assert.strictEqual(offline.existingDeployments, undefined);
        assert.deepStrictEqual(checkExistingAccount(offline), []);
        // A token, but no deployments/read: the list answers 403; a warning, no stop.
        await new WithToken({ awsRegion: config.awsRegion }).install(PROJECT, config.stack);
        const unread = await valueOf(readExistingAccountFacts(config, ID, { armBaseUrl: `${server.base}/denied` }));
        assert.strictEqual(unread.existingDeployments, undefined);
        assert.ok(unread.account, "the account itself was read");
        assert.deepStrictEqual(checkExistingAccount(unread), []);
      });
    });
  });
});
