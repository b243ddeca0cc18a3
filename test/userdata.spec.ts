/**
 * renderUserData: the script is run for real by bash, with dnf, haproxy, systemctl and sleep
 * replaced by recorders and /etc moved into a temporary directory, so its retries, the file it
 * writes and the order of its steps are observed rather than pattern-matched.
 */
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROXY_MAXCONN } from "../aws/constants";
import { renderHaproxyConfig } from "../aws/haproxyConfig";
import {
  CLOUDWATCH_AGENT_CONFIG_PATH,
  CLOUDWATCH_AGENT_CTL,
  extractHaproxyConfig,
  HAPROXY_CONFIG_MARKER,
  renderUserData,
  type UserDataOptions,
} from "../aws/userData";
import { HAPROXY_LOG_FILE, PROXY_SYSLOG_TARGET, RSYSLOG_CONFIG_PATH } from "../aws/proxyLogShipping";

const CONFIG = renderHaproxyConfig({ allowedFqdns: ["contoso-aoai-dev.openai.azure.com"], vpcCidr: "10.42.0.0/16" });

interface Run {
  readonly status: number | null;
  readonly root: string;
  /** Arguments of each call to a stubbed command, one string per call. */
  calls(command: Stub): string[];
  /** Every stubbed call in order, as "command args". */
  readonly sequence: string[];
  file(path: string): string;
}

type Stub = "dnf" | "sleep" | "haproxy" | "systemctl" | "amazon-cloudwatch-agent-ctl";
const AGENT_CTL = "amazon-cloudwatch-agent-ctl";

/** Runs the rendered script with stubs; `dnfFailures` first dnf calls fail; `agentFails` makes the agent's start fail. */
function runScript(options: UserDataOptions, dnfFailures = 0, agentFails = false): Run {
  const root = mkdtempSync(join(tmpdir(), "userdata-run-"));
  const bin = join(root, "bin");
  mkdirSync(bin);
  for (const command of ["dnf", "sleep", "haproxy", "systemctl", AGENT_CTL]) {
    const outcome =
      command === "dnf"
        ? `[ "$(wc -l < "$STUB_LOG/dnf")" -gt "$DNF_FAILURES" ]`
        : command === AGENT_CTL && agentFails
          ? "false"
          : "true";
    writeFileSync(
      join(bin, command),
      `#!/bin/sh\necho "$*" >> "$STUB_LOG/${command}"\necho "${command} $*" >> "$STUB_LOG/sequence"\n${outcome}\n`,
    );
    chmodSync(join(bin, command), 0o755);
  }
  // Only /etc/haproxy and /etc/systemd move; the heredoc body is the config, which names neither.
  assert.ok(!options.haproxyConfig.includes("/etc/"));
  // The agent's control script lives under /opt; the stub takes its place.
  const script = renderUserData(options)
    .replaceAll("/etc/", `${root}/etc/`)
    .replaceAll(CLOUDWATCH_AGENT_CTL, AGENT_CTL);
  const result = spawnSync("bash", ["-c", script], {
    cwd: root,
    encoding: "utf8",
    timeout: 20_000,
    env: { PATH: `${bin}:/usr/bin:/bin`, STUB_LOG: root, DNF_FAILURES: String(dnfFailures) },
  });
  const lines = (name: string) =>
    existsSync(join(root, name)) ? readFileSync(join(root, name), "utf8").split("\n").slice(0, -1) : [];
  return {
    status: result.status,
    root,
    calls: lines,
    sequence: lines("sequence"),
    file: (path) => readFileSync(join(root, path), "utf8"),
  };
}

describe("renderUserData", () => {
  const runs: Run[] = [];
  const run = (options: UserDataOptions, dnfFailures = 0, agentFails = false) => {
    const r = runScript(options, dnfFailures, agentFails);
    runs.push(r);
    return r;
  };
  after(() => runs.forEach((r) => rmSync(r.root, { recursive: true, force: true })));

  it("installs HAProxy, writes the config byte for byte, validates it, then enables the service", () => {
    const r = run({ haproxyConfig: CONFIG });
    assert.equal(r.status, 0);
    assert.equal(r.file("etc/haproxy/haproxy.cfg"), CONFIG);
    assert.deepEqual(
      r.sequence.filter((c) => !c.startsWith("sleep")),
      [
        "dnf install -y --setopt=retries=3 --setopt=timeout=30 haproxy",
        "haproxy -v",
        `haproxy -c -f ${r.root}/etc/haproxy/haproxy.cfg`,
        "systemctl daemon-reload",
        "systemctl enable --now haproxy",
        "systemctl is-active haproxy",
      ],
    );
  });

  it("runs HAProxy with a restart policy, no start limit and a raised open-files limit", () => {
    const dropIn = run({ haproxyConfig: CONFIG }).file("etc/systemd/system/haproxy.service.d/10-dbx-aoai-link.conf");
    assert.match(dropIn, /^Restart=always$/m);
    assert.match(dropIn, /^StartLimitIntervalSec=0$/m);
    const nofile = Number(/^LimitNOFILE=(\d+)$/m.exec(dropIn)?.[1]);
    // Two descriptors per connection plus listeners, checks and resolvers.
    assert.ok(nofile >= 2 * PROXY_MAXCONN + 1000, `LimitNOFILE=${nofile}`);
  });

  it("retries a failing dnf install with a doubling pause, then goes on", () => {
    const r = run({ haproxyConfig: CONFIG }, 3);
    assert.equal(r.status, 0);
    assert.equal(r.calls("dnf").length, 4);
    assert.deepEqual(r.calls("sleep"), ["5", "10", "20"]);
    assert.equal(r.file("etc/haproxy/haproxy.cfg"), CONFIG);
  });

  it("caps the pause at maxBackoffSeconds", () => {
    const r = run({ haproxyConfig: CONFIG, installAttempts: 7, maxBackoffSeconds: 20 }, 6);
    assert.equal(r.status, 0);
    assert.deepEqual(r.calls("sleep"), ["5", "10", "20", "20", "20", "20"]);
  });

  it("gives up after installAttempts, before writing a config or touching the service", () => {
    const r = run({ haproxyConfig: CONFIG, installAttempts: 3 }, 100);
    assert.notEqual(r.status, 0);
    assert.equal(r.calls("dnf").length, 3);
    assert.deepEqual(r.calls("sleep"), ["5", "10"]);
    assert.equal(existsSync(join(r.root, "etc/haproxy/haproxy.cfg")), false);
    assert.deepEqual(r.calls("systemctl"), []);
  });

  it("writes shell-looking config text literally (quoted heredoc: no expansion)", () => {
    const tricky = "global\n    # $(touch pwned) `touch pwned` ${HOME} \\n $1\n\n    log stdout format raw daemon\n";
    const r = run({ haproxyConfig: tricky });
    assert.equal(r.file("etc/haproxy/haproxy.cfg"), tricky);
    assert.equal(existsSync(join(r.root, "pwned")), false);
  });

  describe("extractHaproxyConfig", () => {
    it("returns exactly the config that was embedded", () => {
      assert.equal(extractHaproxyConfig(renderUserData({ haproxyConfig: CONFIG })), CONFIG);
    });

    it("keeps blank lines and indentation", () => {
      const config = "\nglobal\n\n    maxconn 10\n\n";
      assert.equal(extractHaproxyConfig(renderUserData({ haproxyConfig: config })), config);
    });

    it("throws on a script without an embedded config", () => {
      assert.throws(() => extractHaproxyConfig("#!/bin/bash\necho hi\n"), /user data carries no HAProxy configuration/);
    });
  });

  describe("log shipping (HAProxy → rsyslog on loopback → file → CloudWatch agent)", () => {
    const GROUP = "/dbx-aoai-link/dev/haproxy";
    const SHIPPING_CONFIG = renderHaproxyConfig({
      allowedFqdns: ["contoso-aoai-dev.openai.azure.com"],
      vpcCidr: "10.42.0.0/16",
      syslogTarget: PROXY_SYSLOG_TARGET,
    });
    const shipping: UserDataOptions = { haproxyConfig: SHIPPING_CONFIG, logShipping: { logGroupName: GROUP } };

    it("installs rsyslog and the agent in the same retried dnf call, starts rsyslog before HAProxy and the agent after", () => {
      const r = run(shipping);
      assert.equal(r.status, 0);
      assert.deepEqual(
        r.sequence.filter((c) => !c.startsWith("sleep")),
        [
          "dnf install -y --setopt=retries=3 --setopt=timeout=30 haproxy rsyslog amazon-cloudwatch-agent",
          "haproxy -v",
          `haproxy -c -f ${r.root}/etc/haproxy/haproxy.cfg`,
          "systemctl enable rsyslog",
          "systemctl restart rsyslog",
          "systemctl daemon-reload",
          "systemctl enable --now haproxy",
          "systemctl is-active haproxy",
          `${AGENT_CTL} -a fetch-config -m ec2 -s -c file:${r.root}${CLOUDWATCH_AGENT_CONFIG_PATH}`,
        ],
      );
    });

    it("has rsyslog write HAProxy's loopback messages to the file the agent ships to the group, with no retention of its own", () => {
      const r = run(shipping);
      const rsyslog = r.file(RSYSLOG_CONFIG_PATH.slice(1));
      assert.match(rsyslog, /input\(type="imudp" address="127\.0\.0\.1" port="514" ruleset="dbx_aoai_link_haproxy"\)/);
      assert.ok(rsyslog.includes(`file="${HAPROXY_LOG_FILE}"`));
      assert.match(SHIPPING_CONFIG, /^ {4}log 127\.0\.0\.1:514 len 4096 local0 info$/m);
      const agent = JSON.parse(r.file(CLOUDWATCH_AGENT_CONFIG_PATH.slice(1)));
      assert.deepEqual(agent.logs.logs_collected.files.collect_list, [
        { file_path: HAPROXY_LOG_FILE, log_group_name: GROUP, log_stream_name: "{instance_id}" },
      ]);
      assert.match(r.file("etc/logrotate.d/dbx-aoai-link-haproxy"), /maxsize 100M/);
    });

    it("keeps serving when the agent does not start", () => {
      const r = run(shipping, 0, true);
      assert.equal(r.status, 0);
      assert.ok(r.calls("systemctl").includes("enable --now haproxy"));
    });

    it("installs and starts none of it without logShipping", () => {
      const r = run({ haproxyConfig: CONFIG });
      assert.equal(r.calls(AGENT_CTL).length, 0);
      assert.ok(!r.calls("systemctl").some((c) => c.includes("rsyslog")));
      assert.doesNotMatch(CONFIG, /^ {4}log 127\./m);
    });

    it("passes shellcheck", function () {
      if (spawnSync("shellcheck", ["--version"]).status !== 0) return this.skip();
      const result = spawnSync("shellcheck", ["-s", "bash", "-"], {
        input: renderUserData({ ...shipping, watchdog: { healthPort: 8404 } }),
        encoding: "utf8",
        timeout: 20_000,
      });
      assert.equal(result.status, 0, result.stdout);
    });
  });

  it("stays within EC2's 16 KiB user-data limit with ten allowed FQDNs", () => {
    const fqdns = Array.from({ length: 10 }, (_, i) => `contoso-aoai-region-${i}.openai.azure.com`);
    const script = renderUserData({
      haproxyConfig: renderHaproxyConfig({ allowedFqdns: fqdns, vpcCidr: "10.42.0.0/16" }),
    });
    assert.ok(Buffer.byteLength(script) <= 16_384);
  });

  describe("refuses bad input", () => {
    const cases: [string, UserDataOptions, RegExp][] = [
      [
        "an empty config",
        { haproxyConfig: "" },
        /^Error: User data: haproxyConfig = "": is empty\. Fix: pass renderHaproxyConfig\x27s output/,
      ],
      ["a config without a final newline", { haproxyConfig: "global" }, /end it with a newline/],
      [
        "a config containing the heredoc marker",
        { haproxyConfig: `global\n${HAPROXY_CONFIG_MARKER}\n` },
        /would end the heredoc early/,
      ],
      ["CRLF line ends", { haproxyConfig: "global\r\n" }, /plain LF-terminated text/],
      [
        "zero install attempts",
        { haproxyConfig: CONFIG, installAttempts: 0 },
        /installAttempts = 0: is not a whole number from 1 to 100\. Fix: /,
      ],
      ["a backoff below the first pause", { haproxyConfig: CONFIG, maxBackoffSeconds: 1 }, /maxBackoffSeconds = 1/],
      ["a tiny nofile limit", { haproxyConfig: CONFIG, nofileLimit: 100 }, /nofileLimit = 100/],
      ["a config too large for EC2", { haproxyConfig: `#${"x".repeat(17_000)}\n` }, /under 16384 bytes/],
    ];
    for (const [what, options, message] of cases) {
      it(`throws on ${what}`, () => assert.throws(() => renderUserData(options), message));
    }
  });

  it("passes shellcheck", function () {
    if (spawnSync("shellcheck", ["--version"]).status !== 0) {
      if (process.env.CI) assert.fail("shellcheck is not installed: .ci/run must `apt-get install -y shellcheck`");
      return this.skip();
    }
    const result = spawnSync("shellcheck", ["-s", "bash", "-"], {
      input: renderUserData({ haproxyConfig: CONFIG }),
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(result.status, 0, result.stdout);
  });
});
