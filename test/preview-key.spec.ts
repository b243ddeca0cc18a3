/** Previews never read the Azure key: the preview identity needs no listKeys (policy/permissions.ts). */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks } from "../plan/mocks";
import { PROJECT } from "../config/types";
import { shouldReadKey } from "../azure/openAiAccount";
import { evaluate, stackConfig } from "./support/program";
import { buildProgram } from "../program";

const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
const LIST_KEYS = "azure-native:cognitiveservices:listAccountKeys";

describe("the Azure key in previews", function () {
  this.timeout(120_000);

  it("reads the key only outside previews (pure decision)", () => {
    assert.equal(shouldReadKey(false), true);
    assert.equal(shouldReadKey(true), false);
  });

  it("calls listAccountKeys in `up` (the dev stack serves with the key)", async () => {
    const up = await evaluate(stackConfig("dev"));
    assert.ok(up.invokes.some((i) => i.token === LIST_KEYS));
  });

  it("never calls listAccountKeys in a preview, and the secret still gets a (secret, unknown) value", async () => {
    const config = stackConfig("dev");
    const mocks = new RecordingMocks({ awsRegion: config.awsRegion });
    await pulumi.runtime.setMocks(mocks, PROJECT, config.stack, true);
    buildProgram(config);
    await waitForRPCs();
    assert.ok(mocks.invokes.length > 0, "the preview made its other reads");
    assert.deepStrictEqual(
      mocks.invokes.filter((i) => i.token === LIST_KEYS),
      [],
    );
    assert.ok(
      mocks.resources.some((r) => r.type === "databricks:index/secret:Secret"),
      "the secret is still planned",
    );
  });
});
