import * as assert from "assert";
import { ConfigError } from "../config/issues";
import { stackConfig } from "./support/program";
import { MIN_LAUNCH_HOOK_HEARTBEAT_SECONDS } from "../config/launchHook";
import { INITIAL_LAUNCH_HOOK, answeredLaunchHooks, launchHookWarnings } from "../aws/launchHook";

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

describe("proxy.launchHookHeartbeatSeconds", () => {
  it("defaults to 600 s and refuses a heartbeat the assigner's retries would outlast, naming key, value and fix", () => {
    assert.strictEqual(stackConfig("dev").proxy.launchHookHeartbeatSeconds, 600);
    assert.strictEqual(
      stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:proxy"].launchHookHeartbeatSeconds = 900;
      }).proxy.launchHookHeartbeatSeconds,
      900,
    );
    for (const bad of [300, 9000])
      assert.throws(
        () =>
          stackConfig("dev", (raw) => {
            raw["dbx-aoai-link:proxy"].launchHookHeartbeatSeconds = bad;
          }),
        (e: unknown) =>
          e instanceof ConfigError &&
          new RegExp(
            `dbx-aoai-link:proxy\\.launchHookHeartbeatSeconds = ${bad}: must be between ${MIN_LAUNCH_HOOK_HEARTBEAT_SECONDS} and 7200\\. Fix: choose`,
          ).test(e.message),
      );
  });
});

describe("proxy.launchHookName", () => {
  const withName = (name: unknown) =>
    stackConfig("dev", (raw) => {
      raw["dbx-aoai-link:proxy"].launchHookName = name;
    });

  it("defaults to the group's initial hook, so the standalone hook adopts it", () => {
    assert.strictEqual(stackConfig("dev").proxy.launchHookName, INITIAL_LAUNCH_HOOK.name);
    assert.strictEqual(withName("estate/assign-egress-ip").proxy.launchHookName, "estate/assign-egress-ip");
  });

  it("refuses a name Auto Scaling would refuse halfway through an up, naming key, value and fix", () => {
    for (const bad of ["assign pool eip", "hook,with,commas", "x".repeat(256)])
      assert.throws(
        () => withName(bad),
        (e: unknown) =>
          e instanceof ConfigError &&
          e.message.includes(`dbx-aoai-link:proxy.launchHookName = "${bad}": is not a lifecycle hook name`) &&
          /Fix: use 1-255 letters, digits, - _ or \//.test(e.message),
      );
  });

  it("answers both hooks once renamed, one when not", () => {
    assert.deepStrictEqual(answeredLaunchHooks(INITIAL_LAUNCH_HOOK.name), ["assign-pool-eip"]);
    assert.deepStrictEqual(answeredLaunchHooks("estate/assign-egress-ip"), [
      "assign-pool-eip",
      "estate/assign-egress-ip",
    ]);
  });

  it("warns when a renamed hook's longer heartbeat cannot apply to groups created later (the initial hook's 600 s wins)", () => {
    assert.deepStrictEqual(launchHookWarnings(INITIAL_LAUNCH_HOOK.name, 900), []);
    assert.deepStrictEqual(launchHookWarnings("estate/assign-egress-ip", 600), []);
    const [warning, ...more] = launchHookWarnings("estate/assign-egress-ip", 900);
    assert.deepStrictEqual(more, []);
    assert.match(
      warning,
      /^dbx-aoai-link:proxy\.launchHookHeartbeatSeconds = 900: with dbx-aoai-link:proxy\.launchHookName = "estate\/assign-egress-ip", .* after 600 s\. Fix: /,
    );
  });
});
