/**
 * `azure.existingAccount`: a shared Azure OpenAI account adopted with Pulumi's `import` option,
 * protected and kept on destroy, its firewall rules merged with the pool. Config, the preflight's
 * verdicts, and what the program registers (under mocks, which record the registration options).
 */
import * as assert from "assert";
import { evaluate, stackConfig, type Evaluation } from "./support/program";
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
});
