/**
 * Top-level `namePrefix` and `tags`: unset, every URN and physical name is what stacks had before the
 * keys existed (the upgrade gate, against snapshots taken from the program before this change); set,
 * the shared-namespace names start with the prefix and the user's tags reach every taggable resource.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { evaluate, type Evaluation, stackConfig } from "./support/program";
import { physicalNames, type PhysicalNames } from "./support/physicalNames";
import { resourceNames } from "../config/names";
import { ConfigError } from "../config/issues";
import { TYPES as T } from "../plan/resourceTypes";

const fixture = (stack: string): PhysicalNames =>
  JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", `physical-names-${stack}.json`), "utf8"));

const USER_TAGS = { "cost-centre": "cc-4711", owner: "ml-platform@contoso.com" };

function rejects(edit: (raw: Record<string, any>) => void, ...fragments: string[]): void {
  assert.throws(
    () => stackConfig("dev", edit),
    (e: Error) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.ok(
        e.message.split("\n").some((line) => fragments.every((f) => line.includes(f))),
        e.message,
      );
      return true;
    },
  );
}

describe("names and tags", function () {
  this.timeout(60_000);

  for (const stack of ["dev", "prod"]) {
    it(`without namePrefix and tags, the ${stack} plan keeps every URN and physical name it had`, async () => {
      const before = fixture(stack);
      const now = physicalNames((await evaluate(stackConfig(stack))).resources);
      for (const [urn, names] of Object.entries(before)) {
        assert.ok(urn in now, `${urn} is gone (an existing stack would delete it)`);
        assert.deepStrictEqual(now[urn], names, urn);
      }
    });
  }

  it("pins the default shared-namespace names", () => {
    assert.deepStrictEqual(resourceNames("dev"), {
      asgName: "dbx-aoai-link-dev-proxies",
      alarmNamePrefix: "dbx-aoai-link-dev-",
      assignerLogGroupName: "/dbx-aoai-link/dev/eip-assigner",
      assignerServiceName: "eip-assigner-dev",
      rejecterLogGroupName: "/dbx-aoai-link/dev/privatelink-guard",
      rejecterServiceName: "privatelink-guard-dev",
      ruleEndpointParameterName: "/dbx-aoai-link/dev/privatelink/rule-endpoint-id",
      proxyLogGroupName: "/dbx-aoai-link/dev/haproxy",
      proxyFlowLogGroupName: "/dbx-aoai-link/dev/proxy-flow-logs",
      nccName: "aoai-link-dev",
      networkPolicyId: "aoai-link-dev",
      secretScopeName: "aoai-link-dev",
      entraApplicationName: "dbx-aoai-link-dev-serving",
    });
  });

  describe("with namePrefix and tags set", () => {
    let e: Evaluation;
    before(async () => {
      e = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:namePrefix"] = "fin-aoai-use1-dev";
          raw["dbx-aoai-link:tags"] = USER_TAGS;
        }),
      );
    });

    it("starts every name in a shared namespace with the prefix", () => {
      assert.strictEqual(e.one(T.asg).inputs.name, "fin-aoai-use1-dev-proxies");
      assert.strictEqual(e.one(T.ncc).inputs.name, "fin-aoai-use1-dev");
      assert.strictEqual(e.one(T.policy).inputs.networkPolicyId, "fin-aoai-use1-dev");
      assert.strictEqual(e.one(T.scope).inputs.name, "fin-aoai-use1-dev");
      assert.strictEqual(e.one(T.logGroup, "eip-assigner-logs").inputs.name, "/fin-aoai-use1-dev/eip-assigner");
      assert.strictEqual(e.one(T.logGroup, "proxy-logs-haproxy").inputs.name, "/fin-aoai-use1-dev/haproxy");
      assert.strictEqual(e.one(T.logGroup, "proxy-logs-flows").inputs.name, "/fin-aoai-use1-dev/proxy-flow-logs");
      assert.strictEqual(
        e.one(T.fn, "eip-assigner-fn").inputs.environment.variables.POWERTOOLS_SERVICE_NAME,
        "fin-aoai-use1-dev-eip-assigner",
      );
      assert.strictEqual(
        e.one(T.logGroup, "privatelink-guard-logs").inputs.name,
        "/fin-aoai-use1-dev/privatelink-guard",
      );
      assert.strictEqual(e.one(T.ssmParameter).inputs.name, "/fin-aoai-use1-dev/privatelink/rule-endpoint-id");
      assert.strictEqual(
        e.one(T.fn, "privatelink-guard-fn").inputs.environment.variables.POWERTOOLS_SERVICE_NAME,
        "fin-aoai-use1-dev-privatelink-guard",
      );
      for (const alarm of e.all(T.alarm)) assert.match(String(alarm.inputs.name), /^fin-aoai-use1-dev-/, alarm.urn);
    });

    it("keeps logical names (URNs) as they were: the prefix changes physical names only", async () => {
      const plain = await evaluate(stackConfig("dev"));
      assert.deepStrictEqual(e.resources.map((r) => r.urn).sort(), plain.resources.map((r) => r.urn).sort());
    });

    it("gives two projects with a stack called dev distinct names", () => {
      const a = resourceNames("dev", "team-a-dev");
      const b = resourceNames("dev", "team-b-dev");
      for (const key of Object.keys(a) as (keyof typeof a)[]) assert.notStrictEqual(a[key], b[key], key);
    });

    it("puts the user's tags on every resource that takes tags, beside the program's own", () => {
      const tagged = e.resources.filter(
        (r) => r.custom && r.inputs.tags !== undefined && !Array.isArray(r.inputs.tags),
      );
      assert.ok(tagged.length > 20, `only ${tagged.length} tagged resources`);
      for (const r of tagged) {
        assert.deepStrictEqual(
          { "cost-centre": r.inputs.tags["cost-centre"], owner: r.inputs.tags.owner },
          USER_TAGS,
          r.urn,
        );
        assert.strictEqual(r.inputs.tags.project, "dbx-aoai-link", r.urn);
      }
      assert.ok(e.one(T.account).inputs.tags.owner, "the Azure account");
      assert.ok(e.one(T.resourceGroup).inputs.tags.owner, "the resource group");
    });

    it("propagates the tags from the Auto Scaling group to the proxies it launches", () => {
      const tags = e.one(T.asg).inputs.tags as { key: string; value: string; propagateAtLaunch: boolean }[];
      assert.deepStrictEqual(
        tags.find((t) => t.key === "cost-centre"),
        { key: "cost-centre", value: "cc-4711", propagateAtLaunch: true },
      );
    });

    it("tags the serving endpoint with the user's tags", () => {
      assert.deepStrictEqual(e.one(T.serving).inputs.tags, [
        { key: "cost-centre", value: "cc-4711" },
        { key: "owner", value: "ml-platform@contoso.com" },
      ]);
    });
  });

  describe("validation", () => {
    it("refuses a prefix that is not a short lower-case name", () => {
      rejects(
        (raw) => {
          raw["dbx-aoai-link:namePrefix"] = "Team_A";
        },
        'dbx-aoai-link:namePrefix = "Team_A"',
        "lower-case",
        "Fix:",
      );
      rejects((raw) => {
        raw["dbx-aoai-link:namePrefix"] = "a".repeat(31);
      }, "dbx-aoai-link:namePrefix");
    });

    it("refuses the reserved network policy id as a prefix", () => {
      rejects(
        (raw) => {
          raw["dbx-aoai-link:namePrefix"] = "default-policy";
        },
        'dbx-aoai-link:namePrefix = "default-policy"',
        "choose another prefix",
      );
    });

    it("refuses tag keys the program sets, the EIP pool key, and keys a cloud refuses", () => {
      rejects(
        (raw) => {
          raw["dbx-aoai-link:tags"] = { stack: "x" };
        },
        "dbx-aoai-link:tags.stack",
        "sets itself",
      );
      rejects(
        (raw) => {
          raw["dbx-aoai-link:tags"] = { "dbx-aoai-link-dev-eip": "x" };
        },
        "dbx-aoai-link:tags.dbx-aoai-link-dev-eip",
        "proxy.eipTagKey",
      );
      rejects(
        (raw) => {
          raw["dbx-aoai-link:tags"] = { "team/owner": "x" };
        },
        "dbx-aoai-link:tags.team/owner",
        "no /",
      );
      rejects((raw) => {
        raw["dbx-aoai-link:tags"] = { "aws:foo": "x" };
      }, "dbx-aoai-link:tags.aws:foo");
      rejects(
        (raw) => {
          raw["dbx-aoai-link:tags"] = { owner: "a<b" };
        },
        'dbx-aoai-link:tags.owner = "a<b"',
        "tag value",
      );
      rejects(
        (raw) => {
          raw["dbx-aoai-link:tags"] = ["owner"];
        },
        "dbx-aoai-link:tags",
        "mapping",
      );
    });

    it("accepts numbers and booleans as tag values, as text", () => {
      const config = stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:tags"] = { "cost-centre": 4711, billable: true };
      });
      assert.deepStrictEqual(config.tags, { "cost-centre": "4711", billable: "true" });
    });
  });
});
