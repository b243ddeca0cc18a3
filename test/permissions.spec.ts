import * as assert from "assert";
import { readFileSync } from "fs";
import * as path from "path";
import { RESOURCE_PERMISSIONS, azureCustomRole, unknownTypes } from "../policy/permissions";
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
});
