/**
 * The on-instance watchdog, run for real by bash with systemctl, curl (IMDS and the health port), aws
 * and sleep replaced by recorders: it marks the instance unhealthy for local faults only.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderWatchdog } from "../aws/userData";
import { PROXY_PORTS, WATCHDOG_FAILURES_BEFORE_UNHEALTHY } from "../aws/constants";

interface World {
  /** Exit status of `systemctl is-active haproxy`, per loop (last one repeats). */
  readonly haproxyActive: number[];
  /** curl's exit status on the health port: 0 for any HTTP answer (200 or 503), 7 for refused. */
  readonly healthPort?: number;
  readonly lifecycleState?: string;
  readonly publicIp?: string;
  readonly awsExit?: number;
  readonly loops: number;
}

const STUBS: Record<string, string> = {
  systemctl: `if [ "$1" = "is-active" ]; then n=$(wc -l < "$LOG/sleep" 2>/dev/null || echo 0); s=$(sed -n "$((n + 1))p" "$LOG/active"); [ -n "$s" ] || s=$(tail -n1 "$LOG/active"); exit "$s"; fi`,
  curl: `case "$*" in
  *"-X PUT"*) echo token ;;
  *healthz*) exit "$HEALTH_EXIT" ;;
  *target-lifecycle-state*) echo "$LIFECYCLE" ;;
  *public-ipv4*) [ -n "$PUBLIC_IP" ] && echo "$PUBLIC_IP" || exit 22 ;;
  *placement/region*) echo us-east-1 ;;
  *instance-id*) echo i-0abc ;;
esac`,
  aws: `exit "$AWS_EXIT"`,
  sleep: `[ "$(wc -l < "$LOG/sleep")" -ge "$LOOPS" ] && kill -TERM "$PPID"; true`,
};

function runWatchdog(world: World): { calls(command: string): string[] } {
  const root = mkdtempSync(join(tmpdir(), "watchdog-"));
  try {
    const bin = join(root, "bin");
    mkdirSync(bin);
    for (const [command, body] of Object.entries(STUBS)) {
      writeFileSync(join(bin, command), `#!/bin/bash\necho "$*" >> "$LOG/${command}"\n${body}\n`);
      chmodSync(join(bin, command), 0o755);
    }
    writeFileSync(join(root, "active"), world.haproxyActive.join("\n") + "\n");
    spawnSync("bash", ["-c", renderWatchdog({ healthPort: PROXY_PORTS.health })], {
      encoding: "utf8",
      timeout: 20_000,
      env: {
        PATH: `${bin}:/usr/bin:/bin`,
        LOG: root,
        LOOPS: String(world.loops),
        HEALTH_EXIT: String(world.healthPort ?? 0),
        LIFECYCLE: world.lifecycleState ?? "InService",
        PUBLIC_IP: world.publicIp ?? "",
        AWS_EXIT: String(world.awsExit ?? 0),
      },
    });
    const logs: Record<string, string[]> = {};
    for (const command of Object.keys(STUBS)) {
      const file = join(root, command);
      logs[command] = existsSync(file) ? readFileSync(file, "utf8").split("\n").slice(0, -1) : [];
    }
    return { calls: (command) => logs[command] };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

const healthy = { publicIp: "203.0.113.10", loops: 4 };

describe("proxy watchdog", () => {
  it(`marks the instance unhealthy after ${WATCHDOG_FAILURES_BEFORE_UNHEALTHY} checks in a row with HAProxy down, respecting the grace period`, () => {
    const aws = runWatchdog({ ...healthy, haproxyActive: [3] }).calls("aws");
    assert.ok(aws.length >= 1);
    assert.equal(
      aws[0],
      "autoscaling set-instance-health --region us-east-1 --instance-id i-0abc --health-status Unhealthy --should-respect-grace-period",
    );
  });

  it("leaves a proxy alone while Azure is down (the health port answers 503, which is an answer)", () => {
    assert.deepEqual(runWatchdog({ ...healthy, haproxyActive: [0], healthPort: 0 }).calls("aws"), []);
  });

  it("counts HAProxy not answering on its health port as local", () => {
    assert.ok(runWatchdog({ ...healthy, haproxyActive: [0], healthPort: 7 }).calls("aws").length >= 1);
  });

  it("rides out a restart shorter than the threshold", () => {
    assert.deepEqual(runWatchdog({ ...healthy, haproxyActive: [3, 3, 0, 3, 3, 0, 0], loops: 7 }).calls("aws"), []);
  });

  it("does nothing before the group has the instance in service (the launch hook is still attaching the address)", () => {
    assert.deepEqual(runWatchdog({ ...healthy, haproxyActive: [3], lifecycleState: "Pending:Wait" }).calls("aws"), []);
  });

  it("powers off when it has no pool address and therefore cannot reach the API", () => {
    const run = runWatchdog({ haproxyActive: [0], publicIp: "", awsExit: 255, loops: 4 });
    assert.ok(run.calls("aws").length >= 1);
    assert.ok(run.calls("systemctl").includes("poweroff"));
  });

  it("does not power off for a failed call when the fault is HAProxy", () => {
    assert.ok(
      !runWatchdog({ ...healthy, haproxyActive: [3], awsExit: 255 })
        .calls("systemctl")
        .includes("poweroff"),
    );
  });
});
