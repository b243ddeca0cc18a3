/**
 * The stack outputs contract (docs/architecture.md, "Stack outputs contract"): other teams read these
 * names through StackReference, so the set of names and the shape of each value are pinned here,
 * against the real program evaluated by `npm run plan` in a child process, and against the document.
 * Nothing is written into the working tree.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ROOT, runPlanCli, type PlanRun } from "./support/planCli";
import { evaluate, stackConfig, valueOf } from "./support/program";
import { CONSUMED_OUTPUTS } from "../examples/consumer/link";

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function nonEmptyString(value: unknown): asserts value is string {
  assert.strictEqual(typeof value, "string");
  assert.ok((value as string).length > 0);
}

/** Each contract output and the check of its value (values as the offline plan resolves them). */
const CONTRACT: Record<string, (value: unknown, outputs: Record<string, unknown>) => void> = {
  egressIps: (value) => {
    assert.ok(Array.isArray(value) && value.length > 0, "a non-empty string[]");
    for (const ip of value as unknown[]) assert.match(String(ip), IPV4);
    assert.ok((value as unknown[]).every((ip) => typeof ip === "string"));
  },
  azureOpenAiEndpoint: (value) => {
    nonEmptyString(value);
    const url = new URL(value);
    assert.strictEqual(url.protocol, "https:");
    assert.match(url.hostname, /^[a-z0-9-]+\.openai\.azure\.com$/);
  },
  azureOpenAiFqdn: (value, outputs) => {
    nonEmptyString(value);
    assert.match(value, /^[a-z0-9-]+\.openai\.azure\.com$/);
    assert.strictEqual(value, new URL(String(outputs.azureOpenAiEndpoint)).hostname);
  },
  deployments: (value) => {
    assert.ok(value && typeof value === "object" && !Array.isArray(value), "an object: deployment name → model");
    const entries = Object.entries(value as Record<string, unknown>);
    assert.ok(entries.length > 0);
    for (const [name, model] of entries) {
      assert.match(name, /^[A-Za-z0-9._-]+$/);
      nonEmptyString(model);
    }
  },
  azureOpenAiFqdns: (value, outputs) => {
    assert.ok(Array.isArray(value) && value.length > 0, "a non-empty string[]");
    for (const fqdn of value as unknown[]) assert.match(String(fqdn), /^[a-z0-9-]+\.openai\.azure\.com$/);
    assert.strictEqual((value as unknown[])[0], outputs.azureOpenAiFqdn, "the primary account first");
  },
  azureOpenAiAccounts: (value, outputs) => {
    assert.ok(value && typeof value === "object" && !Array.isArray(value), "an object: account name → account");
    const accounts = Object.entries(value as Record<string, Record<string, unknown>>);
    assert.deepStrictEqual(
      accounts.map(([, a]) => a.fqdn),
      outputs.azureOpenAiFqdns,
    );
    for (const [name, account] of accounts) {
      assert.strictEqual(account.fqdn, `${name}.openai.azure.com`);
      assert.strictEqual(account.endpoint, `https://${String(account.fqdn)}/`);
      assert.match(String(account.location), /^[a-z][a-z0-9]+$/);
      assert.ok(Object.keys(account.deployments as object).length > 0);
    }
  },
  endpointServiceName: (value) => {
    nonEmptyString(value);
    assert.match(value, /^com\.amazonaws\.vpce\.[a-z]{2}(-gov)?-[a-z]+-\d\.vpce-svc-[0-9a-f]{17}$/);
  },
  endpointServiceId: (value, outputs) => {
    nonEmptyString(value);
    assert.match(value, /^vpce-svc-[0-9a-f]{17}$/);
    assert.ok(String(outputs.endpointServiceName).endsWith(`.${value}`), "the id ends the service name");
  },
  nlbArn: (value) => {
    nonEmptyString(value);
    assert.match(
      value,
      /^arn:aws(-[a-z-]+)?:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/net\/[A-Za-z0-9-]+\/[0-9a-f]{16}$/,
    );
  },
  proxyAsgName: (value) => {
    nonEmptyString(value);
    assert.match(value, /^[\w.-]{1,255}$/);
  },
  nccId: (value) => {
    nonEmptyString(value);
    assert.match(value, UUID);
  },
  privateEndpointRuleId: (value) => {
    nonEmptyString(value);
    assert.match(value, UUID);
  },
  networkPolicyId: nonEmptyString,
  awsRegion: (value) => {
    nonEmptyString(value);
    assert.match(value, /^[a-z]{2}(-gov)?-[a-z]+-\d$/);
  },
  databricksAccountId: (value) => {
    nonEmptyString(value);
    assert.match(value, UUID);
  },
  databricksAccountHost: (value) => {
    nonEmptyString(value);
    assert.strictEqual(new URL(value).protocol, "https:");
    assert.strictEqual(new URL(value).pathname, "/");
  },
  servingEndpointName: (value) => {
    nonEmptyString(value);
    assert.match(value, /^[A-Za-z0-9_-]+$/);
  },
  secretScopeName: (value) => {
    nonEmptyString(value);
    assert.match(value, /^[A-Za-z0-9_.-]{1,128}$/);
  },
  secretScopePrincipals: (value) => {
    assert.ok(Array.isArray(value) && value.length === 1, "one principal: the deploy identity");
    nonEmptyString(value[0]);
    assert.notStrictEqual(String(value[0]).toLowerCase(), "users");
  },
};
/** Exported only when `databricks.servingEndpoint` is configured. */
const OPTIONAL = new Set(["servingEndpointName", "secretScopeName", "secretScopePrincipals"]);

/** The outputs a "Stack outputs contract" section lists, one "- `name`: …" line each; "only when" marks an optional one. */
function documentedOutputs(markdown: string): { name: string; optional: boolean }[] {
  const start = markdown.indexOf("## Stack outputs contract");
  assert.ok(start >= 0, 'docs/architecture.md has no "## Stack outputs contract" section');
  const end = markdown.indexOf("\n## ", start + 1);
  const section = markdown.slice(start, end < 0 ? undefined : end);
  return [...section.matchAll(/^- `([A-Za-z]+)`(.*)$/gm)].map((m) => ({
    name: m[1],
    optional: /only when/.test(m[2]),
  }));
}

describe("stack outputs contract (names and types other teams rely on)", function () {
  this.timeout(120_000);
  let dev: PlanRun;
  before(() => {
    dev = runPlanCli(["--stack", "dev"]);
  });

  it("exports exactly the contract's names: nothing missing, nothing extra", () => {
    assert.strictEqual(dev.status, 0, dev.stderr);
    assert.deepStrictEqual(Object.keys(dev.json!.outputs).sort(), Object.keys(CONTRACT).sort());
  });

  for (const [name, check] of Object.entries(CONTRACT)) {
    it(`${name} has the contract's type and shape`, () => {
      check(dev.json!.outputs[name], dev.json!.outputs);
    });
  }

  it("exports no secret in clear text (secrets print as [secret], and none is an output)", () => {
    for (const [name, value] of Object.entries(dev.json!.outputs))
      assert.ok(!JSON.stringify(value).includes("[secret]"), name);
  });

  describe("docs/architecture.md", () => {
    const documented = documentedOutputs(fs.readFileSync(path.join(ROOT, "docs", "architecture.md"), "utf8"));

    it("lists exactly the outputs the program exports", () => {
      assert.deepStrictEqual(documented.map((o) => o.name).sort(), Object.keys(CONTRACT).sort());
    });

    it("marks as optional exactly the outputs that may be absent", () => {
      assert.deepStrictEqual(
        documented
          .filter((o) => o.optional)
          .map((o) => o.name)
          .sort(),
        [...OPTIONAL].sort(),
      );
    });
  });

  describe("without a serving endpoint configured", () => {
    let outputs: Record<string, unknown>;
    before(async () => {
      const config = stackConfig("dev", (raw) => {
        delete raw["dbx-aoai-link:databricks"].servingEndpoint;
      });
      const program = await evaluate(config);
      outputs = {};
      for (const [name, output] of Object.entries(program.outputs)) {
        if (output !== undefined) outputs[name] = await valueOf(output);
      }
    });

    it("exports every name but the optional ones, with the same shapes", () => {
      assert.deepStrictEqual(
        Object.keys(outputs).sort(),
        Object.keys(CONTRACT)
          .filter((n) => !OPTIONAL.has(n))
          .sort(),
      );
      for (const [name, value] of Object.entries(outputs)) CONTRACT[name](value, outputs);
    });
  });

  it("the example consumer reads only contract names, and none that may be absent", () => {
    for (const name of CONSUMED_OUTPUTS) {
      assert.ok(name in CONTRACT, `${name} is not in the outputs contract`);
      assert.ok(!OPTIONAL.has(name), `${name} is optional: a consumer cannot require it`);
    }
  });
});
