/**
 * Stack files typed the way the Pulumi CLI types them (engine/stackConfig.ts holds the table and its
 * sources): each row is a YAML input and the string `PULUMI_CONFIG` carries for it, at the top level
 * and inside an object.
 */
import * as assert from "assert";
import {
  parseStackConfig,
  pulumiConfigEnv,
  resolvePlainScalar,
  StackConfigError,
  SECRET_PLACEHOLDER,
} from "../engine/stackConfig";

const P = "dbx-aoai-link";

/** The value the program receives for `key: <yaml>` (top level) and `obj: {v: <yaml>}` (nested JSON). */
function typed(yamlValue: string): { top: string; nested: string } {
  const { values } = parseStackConfig(`config:\n  key: ${yamlValue}\n  obj:\n    v: ${yamlValue}\n`, P);
  return { top: values[`${P}:key`], nested: values[`${P}:obj`] };
}

describe("stack config as the Pulumi CLI reads it (yaml.v3 → PULUMI_CONFIG)", () => {
  const rows: [yaml: string, top: string, nested: string][] = [
    ["2024-07-18", "2024-07-18", '{"v":"2024-07-18"}'], // a date stays text (js-yaml's default schema makes it a Date)
    ["2024-07-18T10:00:00Z", "2024-07-18T10:00:00Z", '{"v":"2024-07-18T10:00:00Z"}'],
    ['"2024-07-18"', "2024-07-18", '{"v":"2024-07-18"}'],
    ["1", "1", '{"v":1}'],
    ['"1"', "1", '{"v":"1"}'],
    ["0613", "395", '{"v":395}'], // YAML 1.1 octal, kept by yaml.v3 for compatibility
    ["'0613'", "0613", '{"v":"0613"}'],
    ["0619", "619", '{"v":619}'], // not octal: a float 619
    ["0x1F", "31", '{"v":31}'],
    ["0o17", "15", '{"v":15}'],
    ["1_000", "1000", '{"v":1000}'],
    ["1.10", "1.1", '{"v":1.1}'],
    ["1e3", "1000", '{"v":1000}'],
    ["1234567890123456", "1234567890123456", '{"v":1234567890123456}'],
    ["9007199254740993", "9007199254740993", '{"v":9007199254740993}'], // past 2^53: exact, not rounded
    ["true", "true", '{"v":true}'],
    ["TRUE", "true", '{"v":true}'],
    ["yes", "yes", '{"v":"yes"}'], // YAML 1.2: no yes/no/on/off booleans
    ["on", "on", '{"v":"on"}'],
    ["~", "null", '{"v":null}'],
    ["ENFORCED", "ENFORCED", '{"v":"ENFORCED"}'],
    ["a<b&c", "a<b&c", '{"v":"a\\u003cb\\u0026c"}'], // Go's HTML-safe JSON escaping
  ];
  for (const [input, top, nested] of rows) {
    it(`${input} → ${top} (top level), ${nested} (in an object)`, () => {
      assert.deepStrictEqual(typed(input), { top, nested });
    });
  }

  it("sorts object keys as Go's JSON encoder does, and keeps arrays in order", () => {
    const { values } = parseStackConfig("config:\n  b:\n    z: 1\n    a: [3, 1]\n", P);
    assert.strictEqual(values[`${P}:b`], '{"a":[3,1],"z":1}');
  });

  it("namespaces keys as the CLI does: bare keys get the project's", () => {
    const { values } = parseStackConfig(
      "config:\n  aws:region: us-east-1\n  azure: {}\n  dbx-aoai-link:proxy: {}\n",
      P,
    );
    assert.deepStrictEqual(Object.keys(values).sort(), ["aws:region", `${P}:azure`, `${P}:proxy`]);
  });

  it("marks secure values secret and keeps only a placeholder, never the ciphertext", () => {
    const { values, secretKeys } = parseStackConfig(
      "config:\n  databricks:clientSecret:\n    secure: v1:AAAAciphertext\n  x:\n    inner:\n      secure: v1:BBBB\n",
      P,
    );
    assert.strictEqual(values["databricks:clientSecret"], SECRET_PLACEHOLDER);
    assert.strictEqual(values[`${P}:x`], `{"inner":"${SECRET_PLACEHOLDER}"}`);
    assert.deepStrictEqual(secretKeys.sort(), ["databricks:clientSecret", `${P}:x`]);
    assert.ok(!JSON.stringify(values).includes("ciphertext"));
  });

  it("hands keys to the program as the Node.js language host does (`ns:config:name`)", () => {
    const env = pulumiConfigEnv(parseStackConfig("config:\n  aws:region: us-east-1\n  k:\n    secure: v1:x\n", P));
    assert.deepStrictEqual(JSON.parse(env.PULUMI_CONFIG), {
      "aws:config:region": "us-east-1",
      [`${P}:config:k`]: SECRET_PLACEHOLDER,
    });
    assert.deepStrictEqual(JSON.parse(env.PULUMI_CONFIG_SECRET_KEYS), [`${P}:k`]);
  });

  describe("files the CLI would refuse: one line with file, line and column", () => {
    const cases: [what: string, text: string, message: RegExp][] = [
      [
        "a tab used as indentation",
        "config:\n\tk: 1\n",
        /^Pulumi\.t\.yaml:2:1: Tabs are not allowed as indentation\. Fix: indent with spaces\.$/,
      ],
      [
        "a duplicate key",
        "config:\n  k: 1\n  k: 2\n",
        /^Pulumi\.t\.yaml:3:3: Map keys must be unique\. Fix: keep one of the two keys\.$/,
      ],
      [
        "an unclosed flow sequence",
        "config:\n  k: [1, 2\n",
        /^Pulumi\.t\.yaml:\d+:\d+: .+\. Fix: correct the YAML there\.$/,
      ],
    ];
    for (const [what, text, message] of cases) {
      it(what, () => {
        assert.throws(
          () => parseStackConfig(text, P, "Pulumi.t.yaml"),
          (e: Error) => e instanceof StackConfigError && message.test(e.message) && !e.message.includes("\n"),
        );
      });
    }
    it("a number JSON cannot hold", () => {
      assert.throws(() => resolvePlainScalar(".inf"), /\.inf is not a number Pulumi can store.*Fix: quote it/);
    });
  });
});
