/**
 * Adopting Databricks account objects instead of replacing them: `databricks.existingNccId`,
 * `databricks.existingNetworkPolicyId`, and the preflight that stops before a binding would replace a
 * workspace's different NCC or policy (against the fake account API on 127.0.0.1).
 */
import * as assert from "assert";
import { evaluate, stackConfig, valueOf } from "./support/program";
import { FakeDatabricks, TEST_TOKEN } from "./support/fakeDatabricks";
import { TYPES as T } from "../plan/resourceTypes";
import { checkWorkspaceAttachments, type WorkspaceAttachmentFacts } from "../preflight/workspaceAttachments";
import { readWorkspaceAttachments } from "../preflight/workspaceAttachmentsFacts";
import { preflightMessage } from "../preflight/check";
import { adoptedPolicyNotice } from "../databricks/adoption";
import { ConfigError } from "../config/issues";

const ACCOUNT = "0d26daa6-5e44-4c97-a497-ef015f91254a";
const FOREIGN_NCC = "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d";
const OURS: WorkspaceAttachmentFacts["ours"] = { nccName: "aoai-link-dev", networkPolicyId: "aoai-link-dev" };

describe("existing Databricks NCC and network policy", function () {
  this.timeout(60_000);

  describe("preflight: binding must not replace a different NCC or policy", () => {
    it("stops on a workspace bound to another NCC, naming it and the key that adopts it", () => {
      const problems = checkWorkspaceAttachments({
        ours: OURS,
        workspaces: [{ workspaceId: "111", nccId: FOREIGN_NCC, nccName: "data-eng-ncc" }],
      });
      assert.strictEqual(problems.length, 1);
      const message = preflightMessage("workspace NCC and network policy", problems);
      assert.match(
        message,
        /dbx-aoai-link:databricks\.workspaceIds = "111": workspace 111 is bound to NCC "data-eng-ncc" \(9a0b1c2d-[^)]+\); binding ours \(aoai-link-dev\) would replace it/,
      );
      assert.match(
        message,
        new RegExp(
          `Fix: to add our private endpoint rule to that NCC instead, set databricks\\.existingNccId: ${FOREIGN_NCC}`,
        ),
      );
    });

    it("stops on a workspace with another network policy, naming the key that keeps it", () => {
      const problems = checkWorkspaceAttachments({
        ours: OURS,
        workspaces: [{ workspaceId: "111", networkPolicyId: "strict-egress" }],
      });
      assert.strictEqual(problems.length, 1);
      assert.match(
        problems[0].problem,
        /uses network policy "strict-egress"; attaching ours \(aoai-link-dev\) would replace it/,
      );
      assert.match(problems[0].fix, /set databricks\.existingNetworkPolicyId: strict-egress/);
    });

    it("lets through no NCC, our own NCC (a later update), default-policy, and adopted objects", () => {
      assert.deepStrictEqual(
        checkWorkspaceAttachments({
          ours: OURS,
          workspaces: [
            { workspaceId: "1" },
            { workspaceId: "2", nccId: FOREIGN_NCC, nccName: "aoai-link-dev", networkPolicyId: "aoai-link-dev" },
            { workspaceId: "3", networkPolicyId: "default-policy" },
          ],
        }),
        [],
      );
      assert.deepStrictEqual(
        checkWorkspaceAttachments({
          ours: { ...OURS, existingNccId: FOREIGN_NCC, existingNetworkPolicyId: "strict-egress" },
          workspaces: [
            { workspaceId: "1", nccId: FOREIGN_NCC, nccName: "data-eng-ncc", networkPolicyId: "strict-egress" },
          ],
        }),
        [],
      );
    });

    describe("reading the facts from the account API (fake, 127.0.0.1)", () => {
      let fake: FakeDatabricks;
      before(async () => {
        fake = await FakeDatabricks.start();
        const api = `/api/2.0/accounts/${ACCOUNT}`;
        fake
          .on("GET", `${api}/workspaces/111`, {
            json: { workspace_id: 111, network_connectivity_config_id: FOREIGN_NCC },
          })
          .on("GET", `${api}/workspaces/111/network`, {
            json: { workspace_id: 111, network_policy_id: "default-policy" },
          })
          .on("GET", `${api}/network-connectivity-configs/${FOREIGN_NCC}`, {
            json: { network_connectivity_config_id: FOREIGN_NCC, name: "data-eng-ncc" },
          })
          .on("GET", `${api}/workspaces/222`, { json: { workspace_id: 222 } })
          .on("GET", `${api}/workspaces/222/network`, {
            json: { workspace_id: 222, network_policy_id: "strict-egress" },
          });
      });
      after(() => fake.close());

      it("reads each workspace's NCC (with its name) and policy, and the check refuses both", async () => {
        const workspaces = await readWorkspaceAttachments({
          host: fake.url,
          accountId: ACCOUNT,
          credentials: { kind: "token", token: TEST_TOKEN },
          workspaceIds: ["111", "222"],
        });
        assert.deepStrictEqual(workspaces, [
          { workspaceId: "111", nccId: FOREIGN_NCC, nccName: "data-eng-ncc", networkPolicyId: "default-policy" },
          { workspaceId: "222", networkPolicyId: "strict-egress" },
        ]);
        assert.ok(fake.requests.every((r) => r.method === "GET" && r.headers.authorization === `Bearer ${TEST_TOKEN}`));
        const problems = checkWorkspaceAttachments({ ours: OURS, workspaces });
        assert.deepStrictEqual(
          problems.map((p) => p.value),
          ["111", "222"],
        );
      });

      it("fails on an API error rather than passing unchecked", async () => {
        await assert.rejects(
          readWorkspaceAttachments({
            host: fake.url,
            accountId: ACCOUNT,
            credentials: { kind: "token", token: TEST_TOKEN },
            workspaceIds: ["333"],
          }),
        );
      });
    });
  });

  describe("databricks.existingNccId", () => {
    it("puts our rule on that NCC and creates or binds no NCC", async () => {
      const e = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:databricks"].existingNccId = FOREIGN_NCC;
        }),
      );
      assert.strictEqual(e.all(T.ncc).length, 0);
      assert.strictEqual(e.all(T.binding).length, 0);
      assert.strictEqual(e.one(T.nccRule).inputs.networkConnectivityConfigId, FOREIGN_NCC);
      assert.strictEqual(e.one(T.ruleEndpoint).inputs.nccId, FOREIGN_NCC);
      assert.strictEqual(e.all(T.policy).length, 1, "the policy is still ours");
    });
  });

  describe("databricks.existingNetworkPolicyId", () => {
    it("creates and attaches no policy, exports the adopted id, and says which FQDN its owner must allow", async () => {
      const e = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:databricks"].existingNetworkPolicyId = "strict-egress";
        }),
      );
      assert.strictEqual(e.all(T.policy).length, 0);
      assert.strictEqual(e.all(T.option).length, 0);
      assert.strictEqual(e.all(T.policyRestore).length, 0, "nothing of ours to re-point on destroy");
      assert.strictEqual(e.all(T.binding).length, 1, "the NCC is still ours and bound");
      assert.strictEqual(await valueOf(e.outputs.networkPolicyId), "strict-egress");
      assert.strictEqual(
        adoptedPolicyNotice("strict-egress", ["contoso-aoai-dev.openai.azure.com"]),
        "databricks.existingNetworkPolicyId = strict-egress: the program attaches no network policy. The owner of strict-egress must allow " +
          "these DNS names as internet destinations, or serverless calls to Azure OpenAI are blocked: contoso-aoai-dev.openai.azure.com",
      );
    });
  });

  it("refuses ids of the wrong shape, naming the key", () => {
    for (const [key, value, fragment] of [
      ["existingNccId", "ncc-1", "an NCC id (a UUID)"],
      ["existingNetworkPolicyId", "a b", "a network policy id"],
    ]) {
      assert.throws(
        () =>
          stackConfig("dev", (raw) => {
            raw["dbx-aoai-link:databricks"][key] = value;
          }),
        (err: Error) => {
          assert.ok(err instanceof ConfigError);
          assert.ok(
            err.message.includes(`dbx-aoai-link:databricks.${key} = "${value}": is not ${fragment}`),
            err.message,
          );
          return true;
        },
      );
    }
  });
});
