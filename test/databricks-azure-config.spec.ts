/**
 * Config keys of the Databricks and Azure sides (issue 12): the upgrade option, soft-delete restore,
 * the network policy's public ingress, and one Databricks authentication method at a time.
 */
import * as assert from "assert";
import * as path from "path";
import { validateStackConfig } from "../config/validate";
import { ConfigError } from "../config/issues";
import { parseRawConfig } from "../config/load";
import { readStackConfigFile } from "../plan/run";

const dev = () =>
  parseRawConfig(readStackConfigFile(path.resolve(__dirname, "..", "Pulumi.dev.yaml")).values) as Record<string, any>;

function rejected(raw: Record<string, unknown>, env: Record<string, string> = {}): string {
  try {
    validateStackConfig("dev", raw, undefined, env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.message;
  }
  assert.fail("the config was accepted");
}

describe("config: Databricks and Azure sides", () => {
  it("defaults versionUpgradeOption to OnceCurrentVersionExpired and rejects an unknown one naming the choices", () => {
    const raw = dev();
    delete raw["dbx-aoai-link:azure"].deployments[0].versionUpgradeOption;
    assert.strictEqual(
      validateStackConfig("dev", raw).azure.deployments[0].versionUpgradeOption,
      "OnceCurrentVersionExpired",
    );
    raw["dbx-aoai-link:azure"].deployments[0].versionUpgradeOption = "Never";
    assert.match(
      rejected(raw),
      /dbx-aoai-link:azure\.deployments\[0\]\.versionUpgradeOption = "Never": is not an Azure version upgrade option\. Fix: use one of OnceCurrentVersionExpired, OnceNewDefaultVersionAvailable, NoAutoUpgrade/,
    );
  });

  it("reads azure.restoreSoftDeleted as a boolean, false by default", () => {
    const raw = dev();
    assert.strictEqual(validateStackConfig("dev", raw).azure.restoreSoftDeleted, false);
    raw["dbx-aoai-link:azure"].restoreSoftDeleted = "yes";
    assert.match(rejected(raw), /azure\.restoreSoftDeleted = "yes"/);
  });

  it("defaults public ingress to FULL_ACCESS and needs addresses for RESTRICTED_ACCESS", () => {
    const raw = dev();
    const policy = validateStackConfig("dev", raw).databricks.networkPolicy;
    assert.deepStrictEqual([policy.publicAccess, policy.publicAccessAllowedIps], ["FULL_ACCESS", []]);
    raw["dbx-aoai-link:databricks"].networkPolicy.publicAccess = "RESTRICTED_ACCESS";
    assert.match(
      rejected(raw),
      /networkPolicy\.publicAccessAllowedIps = \(not set\): is empty while publicAccess is RESTRICTED_ACCESS.*Fix: list the public addresses/,
    );
    raw["dbx-aoai-link:databricks"].networkPolicy.publicAccessAllowedIps = ["10.0.0.1"];
    assert.match(rejected(raw), /publicAccessAllowedIps\[0\] = "10\.0\.0\.1": lies in .*not a public address/);
    raw["dbx-aoai-link:databricks"].networkPolicy.publicAccess = "OPEN";
    assert.match(
      rejected(raw),
      /networkPolicy\.publicAccess = "OPEN": is not an ingress restriction mode\. Fix: use FULL_ACCESS or RESTRICTED_ACCESS/,
    );
  });

  it("rejects ingress settings in GovCloud, where the policy takes none", () => {
    const raw = dev();
    raw["aws:region"] = "us-gov-west-1";
    assert.strictEqual(validateStackConfig("dev", raw).databricks.networkPolicy.publicAccess, "FULL_ACCESS");
    raw["dbx-aoai-link:databricks"].networkPolicy.publicAccess = "FULL_ACCESS";
    assert.match(
      rejected(raw),
      /networkPolicy\.publicAccess = "FULL_ACCESS": network policies in GovCloud take no ingress settings.*Fix: remove it/,
    );
  });

  it("rejects a token together with an OAuth client, wherever each comes from, never showing values", () => {
    const both = { ...dev(), "databricks:token": "dapi-secret-value", "databricks:clientId": "sp-id" };
    const message = rejected(both);
    assert.match(
      message,
      /databricks:token = "\(set\)": two Databricks authentication methods are configured at once \(token: stack config databricks:token; OAuth M2M: stack config databricks:clientId\).*more than one authorization method configured.*Fix: keep one/,
    );
    assert.doesNotMatch(message, /dapi-secret-value/);
    assert.match(
      rejected(dev(), { DATABRICKS_TOKEN: "t", DATABRICKS_CLIENT_ID: "i", DATABRICKS_CLIENT_SECRET: "s" }),
      /token: environment variable DATABRICKS_TOKEN; OAuth M2M: environment variable DATABRICKS_CLIENT_ID, environment variable DATABRICKS_CLIENT_SECRET/,
    );
    assert.match(
      rejected({ ...dev(), "databricks:clientSecret": "x" }, { DATABRICKS_TOKEN: "t" }),
      /token: environment variable DATABRICKS_TOKEN; OAuth M2M: stack config databricks:clientSecret/,
    );
  });

  it("accepts one method alone", () => {
    assert.ok(validateStackConfig("dev", { ...dev(), "databricks:token": "t" }));
    assert.ok(
      validateStackConfig("dev", dev(), undefined, { DATABRICKS_CLIENT_ID: "i", DATABRICKS_CLIENT_SECRET: "s" }),
    );
  });

  it("reads servingEndpoint.assignPrincipal: a numeric principal id and one of workspaceIds", () => {
    const raw = dev();
    raw["dbx-aoai-link:databricks"].servingEndpoint.assignPrincipal = {
      principalId: "7654321",
      workspaceId: "1234567890123456",
    };
    assert.deepStrictEqual(validateStackConfig("dev", raw).databricks.servingEndpoint?.assignPrincipal, {
      principalId: "7654321",
      workspaceId: "1234567890123456",
    });
    raw["dbx-aoai-link:databricks"].servingEndpoint.assignPrincipal = { principalId: "sp-name", workspaceId: "999" };
    const message = rejected(raw);
    assert.match(
      message,
      /servingEndpoint\.assignPrincipal\.principalId = "sp-name": .*numeric account-level id.*Fix: copy the id from the account console/,
    );
    assert.match(
      message,
      /servingEndpoint\.assignPrincipal\.workspaceId = "999": is not one of databricks\.workspaceIds\. Fix: use the serving workspace's id, one of 1234567890123456/,
    );
  });
});
