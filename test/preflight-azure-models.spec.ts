/** Azure model/SKU offer and quota preflight: the pure check, and the ARM reader against a local fake. */
import * as assert from "node:assert/strict";
import { type AzureModelFacts, type OfferedModel, checkAzureModels } from "../preflight/azureModels";
import { readAzureModelFacts } from "../preflight/azureModelsFacts";
import { formatIssue } from "../config/issues";
import { type LoopbackServer, serveOnLoopback } from "./support/loopbackServer";

const chat = { name: "chat", model: "gpt-5.2", version: "2025-12-11", sku: "GlobalStandard", capacity: 300 };
const offered: OfferedModel[] = [
  {
    name: "gpt-5.2",
    version: "2025-12-11",
    skus: { GlobalStandard: "OpenAI.GlobalStandard.gpt-5.2", Standard: "OpenAI.Standard.gpt-5.2" },
  },
  { name: "gpt-5.1", version: "2025-11-13", skus: { GlobalStandard: "OpenAI.GlobalStandard.gpt-5.1" } },
];
const SINGLE_KEYS = { deployments: "dbx-aoai-link:azure.deployments", location: "azure-native:location" };
const facts = (over: Partial<AzureModelFacts> = {}): AzureModelFacts => ({
  account: "contoso",
  keys: SINGLE_KEYS,
  location: "eastus2",
  deployments: [chat],
  offered,
  usages: { "OpenAI.GlobalStandard.gpt-5.2": { current: 0, limit: 1000 } },
  existing: {},
  ...over,
});
const messages = (f: AzureModelFacts) => checkAzureModels(f).map(formatIssue);

describe("preflight: Azure models and quota", () => {
  it("passes an offered model, version and SKU within quota", () => {
    assert.deepEqual(checkAzureModels(facts()), []);
  });

  it("names an unoffered version with the versions that are offered", () => {
    const [m] = messages(facts({ deployments: [{ ...chat, version: "2024-01-01" }] }));
    assert.match(
      m,
      /^dbx-aoai-link:azure\.deployments\[0\]\.version = "2024-01-01": gpt-5\.2 2024-01-01 is not offered in eastus2 to this subscription\. Fix: use one of the versions offered there \(2025-12-11\)/,
    );
  });

  it("names an unoffered model and an unoffered SKU", () => {
    assert.match(
      messages(facts({ deployments: [{ ...chat, model: "gpt-9" }] }))[0],
      /deployments\[0\]\.model = "gpt-9": gpt-9 is not offered in eastus2/,
    );
    assert.match(
      messages(facts({ deployments: [{ ...chat, sku: "DataZoneStandard" }] }))[0],
      /deployments\[0\]\.sku = "DataZoneStandard": .* Fix: use one of GlobalStandard, Standard/,
    );
  });

  it("fails when the capacities of one model and SKU together exceed the free quota", () => {
    const two = [chat, { ...chat, name: "chat-b", capacity: 200 }];
    const [m, ...more] = messages(
      facts({ deployments: two, usages: { "OpenAI.GlobalStandard.gpt-5.2": { current: 600, limit: 1000 } } }),
    );
    assert.equal(more.length, 0);
    assert.match(
      m,
      /deployments\[0\]\.capacity = 300: chat \+ chat-b ask for 500K tokens\/min of OpenAI\.GlobalStandard\.gpt-5\.2 in eastus2, but the subscription's quota is 1000K with 600K used elsewhere \(400K free\).*Fix: lower the capacities to 400K in total/,
    );
  });

  it("does not count the capacity our own existing deployment already holds", () => {
    const update = facts({
      usages: { "OpenAI.GlobalStandard.gpt-5.2": { current: 900, limit: 1000 } },
      existing: { chat: { sku: "GlobalStandard", capacity: 300 } },
    });
    assert.deepEqual(checkAzureModels(update), [], "300 held of 900 used: 400 free for our 300");
  });

  describe("several accounts (azure.accounts[])", () => {
    const entry = (i: number, account: string, over: Partial<AzureModelFacts> = {}) =>
      facts({
        account,
        keys: {
          deployments: `dbx-aoai-link:azure.accounts[${i}].deployments`,
          location: `dbx-aoai-link:azure.accounts[${i}].location`,
        },
        ...over,
      });

    it("judges each account in its own location and names the entry of the account that fails", () => {
      const ok = entry(0, "contoso-a");
      const swc = entry(1, "contoso-b", { location: "swedencentral", deployments: [{ ...chat, model: "gpt-9" }] });
      assert.deepEqual(checkAzureModels([ok]), []);
      const found = checkAzureModels([ok, swc]).map(formatIssue);
      assert.equal(found.length, 1, found.join("\n"));
      assert.match(
        found[0],
        /^dbx-aoai-link:azure\.accounts\[1\]\.deployments\[0\]\.model = "gpt-9": gpt-9 is not offered in swedencentral to this subscription\. Fix: choose another dbx-aoai-link:azure\.accounts\[1\]\.location where the model is offered/,
      );
    });

    it("counts the accounts of one location against that location's quota together", () => {
      const usages = { "OpenAI.GlobalStandard.gpt-5.2": { current: 600, limit: 1000 } };
      const a = entry(0, "contoso-a", { usages });
      const b = entry(1, "contoso-b", { usages });
      assert.deepEqual(checkAzureModels([a]), [], "300 of 400 free");
      const [m, ...more] = checkAzureModels([a, b]).map(formatIssue);
      assert.equal(more.length, 0);
      assert.match(
        m,
        /^dbx-aoai-link:azure\.accounts\[0\]\.deployments\[0\]\.capacity = 300: chat \(contoso-a\) \+ chat \(contoso-b\) ask for 600K tokens\/min of OpenAI\.GlobalStandard\.gpt-5\.2 in eastus2, .* \(400K free\)/,
      );
      // Another location has its own quota; capacity an account already holds is its own.
      assert.deepEqual(checkAzureModels([a, { ...b, location: "swedencentral" }]), []);
      const held = { ...b, existing: { chat: { sku: "GlobalStandard", capacity: 300 } } };
      assert.deepEqual(checkAzureModels([a, held]), [], "b's 300 are among the 600 used");
    });
  });

  describe("reading Resource Manager", () => {
    let server: LoopbackServer;
    let base: string;
    const seen: { url: string; auth?: string }[] = [];
    before(async () => {
      server = await serveOnLoopback((req, res) => {
        seen.push({ url: req.url ?? "", auth: req.headers.authorization });
        const path = (req.url ?? "").split("?")[0];
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { "Content-Type": "application/json" });
          res.end(JSON.stringify(body));
        };
        if (path.endsWith("/locations/eastus2/models")) {
          return send(200, {
            value: [
              {
                kind: "OpenAI",
                model: {
                  format: "OpenAI",
                  name: "gpt-5.2",
                  version: "2025-12-11",
                  skus: [{ name: "GlobalStandard", usageName: "OpenAI.GlobalStandard.gpt-5.2" }],
                },
              },
              { kind: "AIServices", model: { name: "other", version: "1", skus: [] } },
            ],
          });
        }
        if (path.endsWith("/locations/eastus2/usages"))
          return send(200, {
            value: [{ name: { value: "OpenAI.GlobalStandard.gpt-5.2" }, currentValue: 50, limit: 450 }],
          });
        if (path.endsWith("/accounts/contoso/deployments")) return send(404, { error: { code: "ResourceNotFound" } });
        return send(500, {});
      });
      base = server.base;
    });
    after(async () => {
      await server.close();
    });

    it("reads offered models, usages and (none yet) existing deployments with the bearer token", async () => {
      const read = await readAzureModelFacts({
        token: "arm-token",
        subscriptionId: "sub-1",
        location: "eastus2",
        resourceGroupName: "rg",
        account: "contoso",
        keys: SINGLE_KEYS,
        deployments: [chat],
        armBaseUrl: base,
      });
      assert.deepEqual(read.offered, [
        { name: "gpt-5.2", version: "2025-12-11", skus: { GlobalStandard: "OpenAI.GlobalStandard.gpt-5.2" } },
      ]);
      assert.deepEqual(read.usages, { "OpenAI.GlobalStandard.gpt-5.2": { current: 50, limit: 450 } });
      assert.deepEqual(read.existing, {});
      assert.ok(seen.every((s) => s.auth === "Bearer arm-token" && s.url.includes("api-version=")));
      assert.ok(
        seen.some((s) =>
          s.url.startsWith("/subscriptions/sub-1/providers/Microsoft.CognitiveServices/locations/eastus2/models"),
        ),
      );
      assert.deepEqual(checkAzureModels(read), [], "300 of 400 free");
    });

    it("fails on an error answer, naming the call", async () => {
      await assert.rejects(
        readAzureModelFacts({
          token: "t",
          subscriptionId: "s",
          location: "westus",
          resourceGroupName: "rg",
          account: "contoso",
          keys: SINGLE_KEYS,
          deployments: [chat],
          armBaseUrl: base,
        }),
        /GET .*locations\/westus\/models.* answered HTTP 500/,
      );
    });
  });
});
