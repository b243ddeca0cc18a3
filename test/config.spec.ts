import * as assert from "assert";
import * as path from "path";
import { validateStackConfig } from "../config/validate";
import { ConfigError } from "../config/issues";
import { parseRawConfig } from "../config/load";
import { readStackConfigFile } from "../plan/run";

const DEV_FILE = path.resolve(__dirname, "..", "Pulumi.dev.yaml");

/** The dev stack's raw config: the valid baseline every rule mutates. */
function devRaw(): Record<string, unknown> {
  return parseRawConfig(readStackConfigFile(DEV_FILE).values);
}

type Block = "azure" | "proxy" | "databricks";

/** A copy of the dev config with `block.field` (dotted) set to `value` (undefined deletes it). */
function withValue(block: Block, field: string, value: unknown): Record<string, unknown> {
  const raw = devRaw();
  const key = `dbx-aoai-link:${block}`;
  const root = JSON.parse(JSON.stringify(raw[key]));
  const parts = field.split(".");
  let target = root;
  for (const p of parts.slice(0, -1)) target = target[p];
  if (value === undefined) delete target[parts[parts.length - 1]];
  else target[parts[parts.length - 1]] = value;
  return { ...raw, [key]: root };
}

/** Validation must fail, and some line of the message must contain every fragment. */
function assertRejected(raw: Record<string, unknown>, ...fragments: string[]): ConfigError {
  try {
    validateStackConfig("dev", raw);
  } catch (e) {
    assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${e}`);
    const lines = e.message.split("\n");
    assert.ok(
      lines.some((line) => fragments.every((f) => line.includes(f))),
      `no line of the message contains all of ${JSON.stringify(fragments)}:\n${e.message}`,
    );
    return e;
  }
  assert.fail("the config was accepted");
}

describe("stack config validation", () => {
  it("accepts Pulumi.dev.yaml and returns a frozen, typed config", () => {
    const config = validateStackConfig("dev", devRaw());
    assert.strictEqual(config.awsRegion, "us-east-1");
    assert.strictEqual(config.proxy.eipPoolSize, 5);
    assert.strictEqual(config.databricks.accountHost, "https://accounts.cloud.databricks.com");
    assert.ok(Object.isFrozen(config) && Object.isFrozen(config.azure.deployments[0]));
  });

  it("fills defaults for optional keys", () => {
    const raw = withValue("proxy", "instanceType", undefined);
    const config = validateStackConfig("dev", withValue("proxy", "nlbDeletionProtection", undefined));
    assert.strictEqual(config.proxy.nlbDeletionProtection, true);
    assert.strictEqual(validateStackConfig("dev", raw).proxy.instanceType, "t3.small");
  });

  describe("proxy.vpcCidr", () => {
    it("rejects text that is not a CIDR", () => {
      assertRejected(
        withValue("proxy", "vpcCidr", "10.42.0.0/33"),
        "dbx-aoai-link:proxy.vpcCidr",
        '"10.42.0.0/33"',
        "is not an IPv4 CIDR",
        "Fix:",
      );
    });
    it("rejects host bits and names the network address", () => {
      assertRejected(withValue("proxy", "vpcCidr", "10.42.1.0/16"), "proxy.vpcCidr", "host bits", "10.42.0.0/16");
    });
    it("rejects a range with no room for a public and a private subnet in each AZ", () => {
      assertRejected(
        withValue("proxy", "vpcCidr", "10.42.0.0/26"),
        "proxy.vpcCidr",
        "no room for two subnets",
        "use a /25 or larger",
      );
    });
    it("rejects a public range", () => {
      assertRejected(withValue("proxy", "vpcCidr", "8.8.0.0/16"), "proxy.vpcCidr", "not a private range");
    });
    it("accepts the shared address space AWS allows for VPCs (100.64.0.0/10)", () => {
      assert.strictEqual(
        validateStackConfig("dev", withValue("proxy", "vpcCidr", "100.64.0.0/16")).proxy.vpcCidr,
        "100.64.0.0/16",
      );
    });
  });

  it("rejects fewer than 2 or more than 6 AZs", () => {
    assertRejected(withValue("proxy", "availabilityZones", 1), "proxy.availabilityZones", "= 1", "between 2 and 6");
    assertRejected(withValue("proxy", "availabilityZones", 7), "proxy.availabilityZones", "= 7", "between 2 and 6");
  });

  it("rejects desiredCapacity outside minSize..maxSize", () => {
    assertRejected(
      withValue("proxy", "desiredCapacity", 5),
      "proxy.desiredCapacity",
      "= 5",
      "between minSize (2) and maxSize (4)",
      "minSize ≤ desiredCapacity ≤ maxSize",
    );
    assertRejected(withValue("proxy", "minSize", 3), "proxy.desiredCapacity", "between minSize (3) and maxSize (4)");
  });

  it("rejects an EIP pool without headroom over maxSize", () => {
    assertRejected(
      withValue("proxy", "eipPoolSize", 4),
      "proxy.eipPoolSize",
      "= 4",
      "below maxSize (4) + 1",
      "at least 5",
    );
  });

  it("sizes the headroom at 10 % of maxSize for large groups", () => {
    let raw = withValue("proxy", "maxSize", 30);
    raw = { ...raw, "dbx-aoai-link:proxy": { ...(raw["dbx-aoai-link:proxy"] as object), eipPoolSize: 32 } };
    assertRejected(raw, "proxy.eipPoolSize", "= 32", "maxSize (30) + 3", "at least 33");
  });

  it("rejects pool + extraAllowedIps above Azure's 100 IP rules", () => {
    let raw = withValue("proxy", "eipPoolSize", 99);
    raw = {
      ...raw,
      "dbx-aoai-link:azure": { ...(raw["dbx-aoai-link:azure"] as object), extraAllowedIps: ["20.1.1.1", "20.1.1.2"] },
    };
    assertRejected(raw, "proxy.eipPoolSize", "needs 101 Azure IP rules", "limit of 100");
  });

  describe("azure.extraAllowedIps", () => {
    it("rejects private addresses", () => {
      assertRejected(
        withValue("azure", "extraAllowedIps", ["192.168.1.10"]),
        "azure.extraAllowedIps[0]",
        "192.168.0.0/16",
        "public",
      );
    });
    it("asks for a single address instead of /32", () => {
      assertRejected(
        withValue("azure", "extraAllowedIps", ["20.30.40.50/32"]),
        "extraAllowedIps[0]",
        "/32",
        "write the single address 20.30.40.50",
      );
    });
    it("asks for two addresses instead of /31", () => {
      assertRejected(withValue("azure", "extraAllowedIps", ["20.30.40.50/31"]), "/31", "20.30.40.50 and 20.30.40.51");
    });
    it("rejects IPv6", () => {
      assertRejected(withValue("azure", "extraAllowedIps", ["2001:db8::1"]), "extraAllowedIps[0]", "IPv4 only");
    });
    it("accepts public addresses and ranges", () => {
      const config = validateStackConfig("dev", withValue("azure", "extraAllowedIps", ["20.30.40.50", "52.10.0.0/24"]));
      assert.deepStrictEqual(config.azure.extraAllowedIps, ["20.30.40.50", "52.10.0.0/24"]);
    });
  });

  it("rejects an account name that is not a valid custom subdomain", () => {
    assertRejected(
      withValue("azure", "accountName", "Contoso_AOAI"),
      "azure.accountName",
      '"Contoso_AOAI"',
      "custom subdomain",
      "<accountName>.openai.azure.com",
    );
  });

  it("rejects duplicate deployment names", () => {
    const raw = devRaw();
    const azure = raw["dbx-aoai-link:azure"] as { deployments: object[] };
    const twice = {
      ...raw,
      "dbx-aoai-link:azure": { ...azure, deployments: [azure.deployments[0], azure.deployments[0]] },
    };
    assertRejected(twice, "azure.deployments[1].name", "duplicates an earlier deployment name");
  });

  it("rejects a capacity that is not positive", () => {
    assertRejected(
      withValue("azure", "deployments.0.capacity", 0),
      "azure.deployments[0].capacity",
      "= 0",
      "positive capacity",
    );
  });

  it("rejects an unknown deployment SKU and lists the known ones", () => {
    assertRejected(
      withValue("azure", "deployments.0.sku", "Premium"),
      "deployments[0].sku",
      "not a known deployment SKU",
      "GlobalStandard",
    );
  });

  it("rejects a Databricks account id that is not a UUID", () => {
    assertRejected(
      withValue("databricks", "accountId", "my-account"),
      "databricks.accountId",
      '"my-account"',
      "a UUID",
    );
  });

  it("rejects non-numeric workspace ids and asks to quote numbers", () => {
    assertRejected(
      withValue("databricks", "workspaceIds", ["dbc-1234"]),
      "databricks.workspaceIds[0]",
      "not a numeric workspace id",
    );
    assertRejected(
      withValue("databricks", "workspaceIds", [1234567890123456]),
      "workspaceIds[0]",
      "quoted string",
      'quote the value in YAML ("1234567890123456")',
    );
  });

  it("names `--type string` for a value `pulumi config set --path` stored as a number", () => {
    assertRejected(
      withValue("databricks", "workspaceIds", [1234567890123456]),
      "pulumi config set --path --type string 'dbx-aoai-link:databricks.workspaceIds[0]' '1234567890123456'",
    );
    assertRejected(
      withValue("proxy", "instanceType", 5),
      "dbx-aoai-link:proxy.instanceType = 5: must be a string",
      "--type string 'dbx-aoai-link:proxy.instanceType' '5'",
    );
  });

  it("rejects a region where the Databricks serverless principal is unknown", () => {
    assertRejected({ ...devRaw(), "aws:region": "af-south-1" }, "aws:region", '"af-south-1"', "principal", "us-east-1");
  });

  it("rejects an enforcement other than ENFORCED or DRY_RUN", () => {
    assertRejected(
      withValue("databricks", "networkPolicy.enforcement", "LOG_ONLY"),
      "networkPolicy.enforcement",
      '"LOG_ONLY"',
      "ENFORCED or DRY_RUN",
    );
  });

  it("rejects a serving endpoint that names no configured deployment", () => {
    assertRejected(
      withValue("databricks", "servingEndpoint.deployment", "gpt-5"),
      "servingEndpoint.deployment",
      "names no entry of azure.deployments",
      "gpt-5.2",
    );
  });

  it("rejects an EIP tag key with the reserved aws: prefix", () => {
    assertRejected(withValue("proxy", "eipTagKey", "aws:pool"), "proxy.eipTagKey", "reserved aws: prefix");
  });

  describe("unknown keys", () => {
    it("reports a misspelt nested key with a suggestion", () => {
      assertRejected(
        withValue("proxy", "maxsize", 6),
        "dbx-aoai-link:proxy.maxsize",
        "unknown key",
        'did you mean "maxSize"',
      );
    });
    it("reports an unknown top-level block of the project", () => {
      assertRejected(
        { ...devRaw(), "dbx-aoai-link:proxxy": { vpcCidr: "10.0.0.0/16" } },
        "dbx-aoai-link.proxxy",
        "unknown key",
        'did you mean "proxy"',
      );
    });
  });

  it("reports a missing required block", () => {
    const raw = devRaw();
    delete raw["dbx-aoai-link:databricks"];
    assertRejected(raw, "dbx-aoai-link:databricks", "is required");
  });

  it("reports every problem at once", () => {
    let raw = withValue("proxy", "availabilityZones", 9);
    raw = { ...raw, "aws:region": "mars-1" };
    const error = assertRejected(raw, "availabilityZones");
    assert.ok(error.issues.length >= 2, error.message);
    assert.match(error.message, /aws:region/);
  });
});
