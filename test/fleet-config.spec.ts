import * as assert from "assert";
import { ConfigError } from "../config/issues";
import { stackConfig } from "./support/program";

describe("proxy.maxInstanceLifetimeDays", () => {
  it("defaults to three weeks", () => {
    assert.strictEqual(stackConfig("dev").proxy.maxInstanceLifetimeDays, 21);
  });

  it("accepts 0 (off) and refuses what AWS refuses, naming the key, the value and the fix", () => {
    assert.strictEqual(
      stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:proxy"].maxInstanceLifetimeDays = 0;
      }).proxy.maxInstanceLifetimeDays,
      0,
    );
    assert.throws(
      () =>
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:proxy"].maxInstanceLifetimeDays = 400;
        }),
      (e: unknown) =>
        e instanceof ConfigError &&
        /dbx-aoai-link:proxy\.maxInstanceLifetimeDays = 400: must be between 0 and 365\. Fix: choose 1 to 365 days/.test(
          e.message,
        ),
    );
  });
});
