import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { AZURE_ROLE_SCOPE, RESOURCE_PERMISSIONS, azureCustomRole, unknownTypes } from "../policy/permissions";
import { AZURE_MODELS_PREFLIGHT } from "../preflight/azureModels";
import { collectPermissions, renderPermissionsDoc } from "../plan/sections/permissions";
import { TYPES } from "../plan/resourceTypes";

describe("permission sets (policy/permissions.ts)", () => {
  it("has a row for every resource type the program registers", () => {
    assert.deepStrictEqual(unknownTypes(Object.values(TYPES)), []);
  });

  it("keeps docs/permissions.md equal to the table (regenerate: npm run docs:permissions)", () => {
    assert.strictEqual(
      readFileSync(path.join(__dirname, "..", "docs", "permissions.md"), "utf8"),
      renderPermissionsDoc(),
    );
  });

  it("gives previews read actions only, and never the key", () => {
    const preview = collectPermissions("preview", Object.keys(RESOURCE_PERMISSIONS), [
      "azure-native:cognitiveservices:listAccountKeys",
    ]);
    for (const action of preview.aws) assert.match(action, /:(Describe|Get|List)/, action);
    for (const action of preview.azure) assert.match(action, /\/read$/, action);
    const role = azureCustomRole("preview", Object.keys(RESOURCE_PERMISSIONS), [
      "azure-native:cognitiveservices:listAccountKeys",
    ]) as { Actions: string[]; NotActions: string[] };
    assert.ok(!role.Actions.some((a) => /listKeys/i.test(a)));
    assert.deepStrictEqual(role.NotActions, ["Microsoft.CognitiveServices/accounts/listKeys/action"]);
  });

  it("gives up what reading the key and rejecting foreign connections need", () => {
    const up = collectPermissions("up", Object.values(TYPES), ["azure-native:cognitiveservices:listAccountKeys"]);
    assert.ok(up.azure.includes("Microsoft.CognitiveServices/accounts/listKeys/action"));
    assert.ok(up.aws.includes("ec2:CreateVpcEndpointConnectionNotification"));
    assert.ok(!up.aws.includes("*"));
  });

  it("lets the preflight's subscription-scope reads (locations/models, locations/usages) be granted where ARM checks them", () => {
    const subscriptionReads = AZURE_MODELS_PREFLIGHT.reads
      .filter((r) => r.invoke.startsWith("ARM GET locations/"))
      .map((r) => r.permission);
    assert.deepStrictEqual(subscriptionReads.sort(), [
      "Microsoft.CognitiveServices/locations/models/read",
      "Microsoft.CognitiveServices/locations/usages/read",
    ]);
    assert.strictEqual(AZURE_ROLE_SCOPE, "/subscriptions/<subscription-id>");
    const invokes = AZURE_MODELS_PREFLIGHT.reads.map((r) => r.invoke);
    for (const command of ["up", "preview"] as const) {
      const role = azureCustomRole(
        command,
        Object.keys(RESOURCE_PERMISSIONS),
        invokes,
        collectPermissions(command, [], invokes).azure,
      ) as { Actions: string[]; AssignableScopes: string[] };
      for (const action of subscriptionReads) assert.ok(role.Actions.includes(action), `${command}: ${action}`);
      // A role assignable on a resource group only cannot be assigned where /subscriptions/{id}/providers/... is read.
      assert.ok(role.AssignableScopes.includes(AZURE_ROLE_SCOPE), `${command}: ${role.AssignableScopes.join()}`);
    }
  });
});
