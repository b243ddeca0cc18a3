/**
 * Resource options of the Databricks side that the shared recording mocks do not keep:
 * deleteBeforeReplace on the private endpoint rule and the secrets, ignoreChanges on the network policy
 * and the secret scope ACL.
 * Runs the program under RecordingMocks with one more hook on the mock monitor.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks } from "../plan/mocks";
import { PROJECT } from "../config/types";
import { TYPES as T } from "../plan/resourceTypes";
import { stackConfig } from "./support/program";
import { buildProgram } from "../program";

const { waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };

interface Options {
  readonly deleteBeforeReplace: boolean;
  readonly ignoreChanges: string[];
}

describe("Databricks side: resource options", () => {
  const options = new Map<string, Options>();
  before(async () => {
    const config = stackConfig("dev");
    const mocks = new RecordingMocks({ awsRegion: config.awsRegion });
    await mocks.install(PROJECT, config.stack);
    type Request = {
      getType(): string;
      getName(): string;
      getDeletebeforereplace(): boolean;
      getIgnorechangesList(): string[];
    };
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource(req: Request, cb: unknown): Promise<void>;
    };
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: Request, cb: unknown) => {
      options.set(req.getType(), {
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ignoreChanges: req.getIgnorechangesList(),
      });
      return register(req, cb);
    };
    buildProgram(config);
    await waitForRPCs();
  });

  it("replaces the private endpoint rule delete-first, so two rules never claim the same domain", () => {
    assert.strictEqual(options.get(T.nccRule)?.deleteBeforeReplace, true);
  });

  it("replaces a Databricks secret delete-first, so a new key or client secret is not deleted right after it is written", () => {
    // A new value replaces the secret (stringValue forces it); created first, the provider's delete of the
    // old one removes the same scope/key, i.e. the new value (pulumi/pulumi-databricks#642).
    assert.strictEqual(options.get(T.secret)?.deleteBeforeReplace, true);
  });

  it("ignores the server-filled ingressDryRun of the network policy, and nothing it manages", () => {
    assert.deepStrictEqual(options.get(T.policy)?.ignoreChanges, ["ingressDryRun"]);
  });

  it("keeps the secret scope ACL's recorded principal: a preview, run as another identity, does not look it up", () => {
    assert.deepStrictEqual(options.get(T.secretAcl)?.ignoreChanges, ["principal"]);
  });
});
