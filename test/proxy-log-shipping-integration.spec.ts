/**
 * HAProxy's log shipping, run for real on loopback: rsyslogd on the drop-in the user data carries
 * (only the port and the file moved: 514 needs root, /var/log is not ours), and HAProxy on the
 * program's rendered configuration logging to it. What the CloudWatch agent would ship is the file:
 * one line per connection, the bare message, and the metric filter counts the refused one only,
 * even when the refused name carries a newline that splits HAProxy's own (journal) copy.
 */
import { strict as assert } from "node:assert";
import { createSocket } from "node:dgram";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HEALTH_CHECK_PATH, PROXY_MAXCONN } from "../aws/constants";
import { renderHaproxyConfig } from "../aws/haproxyConfig";
import {
  HAPROXY_LOG_FILE,
  PROXY_SYSLOG_PORT,
  RSYSLOG_CONFIG_PATH,
  REFUSED_TLS_FILTER_PATTERN,
  TLS_FRONTEND,
  matchesTermPattern,
  renderRsyslogConfig,
} from "../aws/proxyLogShipping";
import { renderUserData } from "../aws/userData";
import { startDnsServer, type TestDnsServer } from "../bench/proxy/dnsServer";
import { freePort, haproxyVersion, maxconnFittingThisMachine, type RunningHaproxy } from "../bench/proxy/haproxy";
import { startLoopbackProxy } from "../bench/proxy/loopbackProxy";
import { freeUdpPort, rsyslogdCheck, rsyslogdVersion, startRsyslogd } from "../bench/proxy/rsyslog";
import { httpGet, httpsCall, tlsHandshake } from "../bench/proxy/tlsClient";
import { createTestPki, startTlsUpstream, type TestPki, type TlsUpstream } from "../bench/proxy/tlsUpstream";
import { waitFor } from "../bench/proxy/wait";

const FQDN = "contoso-aoai-test.openai.azure.com";
const STRANGER = "exfil-aoai.openai.azure.com";
const PROXY_HOST = "127.0.0.2";
const UPSTREAM_HOST = "127.0.0.10";
const SYSLOG_HOST = "127.0.0.1";
/** The "VPC" is 127.0.0.8/29 (startShipping); the metrics port refuses sources outside it but loopback's own. */
const SOURCE_OUTSIDE_VPC = "127.0.0.20";

/** The drop-in as the user data writes it to RSYSLOG_CONFIG_PATH (the heredoc's body). */
function rsyslogDropInFromUserData(): string {
  const userData = renderUserData({
    haproxyConfig: renderHaproxyConfig({ allowedFqdns: [FQDN], vpcCidr: "10.42.0.0/16" }),
    logShipping: { logGroupName: "/dbx-aoai-link/test/haproxy" },
  });
  const body = new RegExp(`cat > ${RSYSLOG_CONFIG_PATH} <<'RSYSLOG'\\n([\\s\\S]*?)^RSYSLOG$`, "m").exec(userData);
  assert.ok(body, `the user data writes no ${RSYSLOG_CONFIG_PATH}`);
  return body[1];
}

/** Messages HAProxy printed on stdout (`log stdout format short`: `<PRI>message`), header stripped. */
function stdoutMessages(haproxy: RunningHaproxy): string[] {
  return haproxy
    .logs()
    .split("\n")
    .flatMap((line) => /^<\d+>(.*)$/.exec(line)?.[1] ?? []);
}

describe("HAProxy's log through a real rsyslog, with the configuration an instance runs", function () {
  let pki: TestPki;
  let dns: TestDnsServer;
  let upstream: TlsUpstream;
  let workDir: string;
  const running: RunningHaproxy[] = [];

  before(async function () {
    this.timeout(30_000);
    const haproxy = haproxyVersion();
    const rsyslogd = rsyslogdVersion();
    if (!haproxy || !rsyslogd) {
      const missing = !haproxy ? "haproxy" : "rsyslog";
      if (process.env.CI)
        throw new Error(`${missing} is not installed: .ci/run must \`apt-get install -y ${missing}\``);
      console.warn(`    SKIPPED: no ${missing} (apt-get install -y ${missing}); CI fails instead of skipping`);
      return this.skip();
    }
    console.log(`    using ${haproxy}; ${rsyslogd}`);
    pki = createTestPki();
    dns = await startDnsServer();
    upstream = await startTlsUpstream({ host: UPSTREAM_HOST, port: await freePort(UPSTREAM_HOST), name: "A", pki });
    dns.set(FQDN, UPSTREAM_HOST);
    workDir = mkdtempSync(join(tmpdir(), "log-shipping-it-"));
  });

  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
  });

  after(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
    await Promise.all([upstream?.stop(), dns?.stop()]);
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it("runs the drop-in the user data carries, with only the port and the file moved, and rsyslogd -N1 accepts it", function () {
    this.timeout(20_000);
    const dropIn = rsyslogDropInFromUserData();
    assert.equal(dropIn, renderRsyslogConfig(), "the user data carries the renderer's text");
    const port = 40514;
    const logFile = join(workDir, "haproxy.log");
    assert.equal(
      renderRsyslogConfig({ port, logFile }),
      dropIn.replace(`port="${PROXY_SYSLOG_PORT}"`, `port="${port}"`).replace(`"${HAPROXY_LOG_FILE}"`, `"${logFile}"`),
    );
    const check = rsyslogdCheck(renderRsyslogConfig({ port, logFile }));
    assert.ok(check.ok, check.output);
  });

  /**
   * rsyslogd on the drop-in and HAProxy logging to it, healthy; the file rsyslog writes, read as lines.
   * `afterInclude`: the distribution's rules, after the drop-in's include in the main file.
   */
  async function startShipping(afterInclude = "") {
    const port = await freeUdpPort(SYSLOG_HOST);
    const logFile = join(mkdtempSync(join(workDir, "shipped-")), "haproxy", "haproxy.log");
    running.push(
      await startRsyslogd(renderRsyslogConfig({ port, logFile }), { host: SYSLOG_HOST, port }, afterInclude),
    );
    const { ports, haproxy } = await startLoopbackProxy({
      host: PROXY_HOST,
      allowedFqdns: [FQDN],
      vpcCidr: "127.0.0.8/29",
      upstreamPort: upstream.port,
      nameserver: dns.address,
      stateDir: workDir,
      maxconn: maxconnFittingThisMachine(PROXY_MAXCONN),
      overrides: { syslogTarget: `${SYSLOG_HOST}:${port}` },
    });
    running.push(haproxy);
    await waitFor("health 200", async () =>
      (await httpGet(PROXY_HOST, ports.health, HEALTH_CHECK_PATH)).status === 200 ? true : undefined,
    );
    const fileText = () => (existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
    const lines = () => fileText().split("\n").slice(0, -1);
    /** The line with `text` once it is in the file, and the milliseconds it took from `since` (polled every 5 ms). */
    const lineAfter = async (what: string, text: string, since = Date.now()) => {
      const line = await waitFor(what, () => lines().find((l) => l.includes(text)), {
        timeoutMs: 10_000,
        intervalMs: 5,
      });
      return { line, latencyMs: Date.now() - since };
    };
    return { ports, haproxy, fileText, lines, lineAfter };
  }

  it("writes one bare line per connection; the metric filter counts the refused one and not the allowed one", async function () {
    this.timeout(30_000);
    const { ports, haproxy, fileText, lines, lineAfter } = await startShipping();
    const allowedCall = await httpsCall(
      { host: PROXY_HOST, port: ports.tls, servername: FQDN, ca: pki.caCert },
      "/whoami",
    );
    assert.equal(allowedCall.status, 200);
    const allowed = await lineAfter("the allowed session's line", `sni="${FQDN}"`);
    assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, STRANGER), "established");
    const refused = await lineAfter("the refused connection's line", `sni="${STRANGER}"`);
    console.log(
      `      file after two connections (${lines().length} lines):\n${lines()
        .map((l) => `        ${l}`)
        .join("\n")}`,
    );
    console.log(`      in the file after ${allowed.latencyMs} ms (allowed), ${refused.latencyMs} ms (refused)`);

    assert.equal(lines().filter((l) => l.includes(`sni="${FQDN}"`)).length, 1, "one line for the allowed connection");
    assert.equal(lines().filter((l) => l.includes(`sni="${STRANGER}"`)).length, 1, "one line for the refused one");
    assert.ok(fileText().endsWith("\n") && !fileText().includes("\r"), "newline-terminated lines, no CR");
    // Bare: each line is exactly the message HAProxy logged (its stdout copy, minus `<PRI>`), with no
    // syslog header (timestamp, host, `haproxy[pid]:`) and nothing before the message, not even a space.
    const logged = (text: string) =>
      waitFor(`HAProxy's stdout copy of ${text}`, () => stdoutMessages(haproxy).find((m) => m.includes(text)));
    assert.equal(JSON.stringify(allowed.line), JSON.stringify(await logged(`sni="${FQDN}"`)));
    assert.equal(JSON.stringify(refused.line), JSON.stringify(await logged(`sni="${STRANGER}"`)));
    assert.deepEqual(
      lines().filter((l) => !stdoutMessages(haproxy).includes(l)),
      [],
      "every line in the file is a message HAProxy logged, as it logged it",
    );
    assert.ok(matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, refused.line), refused.line);
    assert.ok(!matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, allowed.line), allowed.line);
    assert.equal(lines().filter((l) => matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, l)).length, 1, "one count");
  });

  it("keeps a refused name with a newline in it on one line, counted once (HAProxy 2.6 logs the SNI raw)", async function () {
    this.timeout(30_000);
    const { ports, haproxy, lines, lineAfter } = await startShipping();
    // A ClientHello may carry any bytes as its name: this one forges a session line after a newline.
    const hostile = `x\n127.0.0.1:1 [01/Dec/2026:00:00:00.000] ${TLS_FRONTEND} be_x/azure "q\r\u0001.openai.azure.com`;
    assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, hostile), "established");
    // rsyslog escapes control characters on receive (#ooo, octal), so the shipped line stays whole.
    const escaped = [...hostile]
      .map((c) => (c.charCodeAt(0) < 0x20 ? `#${c.charCodeAt(0).toString(8).padStart(3, "0")}` : c))
      .join("");
    const { line } = await lineAfter("the hostile name's line", `sni="${escaped}"`);
    assert.ok(matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, line), line);
    assert.equal(lines().filter((l) => l.includes("be_x/azure")).length, 1, "the forged session is no line of its own");
    assert.ok(!lines().some((l) => l.startsWith("127.0.0.1:1 ")), "no line starts with the forged text");
    assert.equal(lines().filter((l) => matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, l)).length, 1, "one count");
    // The journal's copy (HAProxy's stdout) is split: the forged text arrives as a line of its own there.
    await waitFor("the forged text as a line of HAProxy's stdout", () =>
      haproxy
        .logs()
        .split("\n")
        .find((l) => l.startsWith("127.0.0.1:1 [01/Dec/2026:00:00:00.000]")),
    );
  });

  it("ships no line for a successful health poll or metrics scrape, and one for a scrape it refuses", async function () {
    this.timeout(30_000);
    const { ports, lines, lineAfter } = await startShipping();
    // The NLB polls the health port every few seconds and Prometheus scrapes the metrics port: a line
    // each would be most of what the agent ships. The admin frontends log failures only.
    for (let i = 0; i < 5; i++) assert.equal((await httpGet(PROXY_HOST, ports.health, HEALTH_CHECK_PATH)).status, 200);
    const scrape = (localAddress: string) => httpGet(PROXY_HOST, ports.metrics, "/metrics", { localAddress });
    for (let i = 0; i < 2; i++) assert.equal((await scrape("127.0.0.1")).status, 200);
    assert.equal((await scrape(SOURCE_OUTSIDE_VPC)).status, 403);
    // A refused TLS connection after all of them: once its line is in, theirs would be too.
    assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, STRANGER), "established");
    await lineAfter("the marker's line", `sni="${STRANGER}"`);
    const admin = lines().filter((l) => /[ (](health|metrics)[/ ]/.test(l));
    assert.equal(admin.length, 1, `one line, for the refused scrape:\n${admin.join("\n")}`);
    assert.match(admin[0], new RegExp(`^${SOURCE_OUTSIDE_VPC.replace(/\./g, "\\.")}:\\d+ .* 403 `));
    assert.ok(!matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, admin[0]), "a refused scrape is not a refused TLS name");
  });

  it("keeps HAProxy's journal copy out of the distribution's catch-all file, and still ships HAProxy's lines", async function () {
    this.timeout(30_000);
    // On AL2023 rsyslog's imjournal feeds the default ruleset with HAProxy's stdout copy (programname
    // haproxy), and the distribution's `*.info … /var/log/messages`, after the include, would write it a
    // third time. Here a UDP input on the default ruleset stands in for imjournal.
    const journalPort = await freeUdpPort(SYSLOG_HOST);
    const catchAll = join(mkdtempSync(join(workDir, "messages-")), "messages");
    const { ports, lineAfter } = await startShipping(
      `input(type="imudp" address="${SYSLOG_HOST}" port="${journalPort}")\n` +
        `*.info;mail.none;authpriv.none;cron.none ${catchAll}\n`,
    );
    const journalCopy = "127.0.0.1:1 [01/Dec/2026:00:00:00.000] tls_in tls_in/<NOSRV> journal copy";
    const catchAllText = () => (existsSync(catchAll) ? readFileSync(catchAll, "utf8") : "");
    const client = createSocket("udp4");
    try {
      const send = (text: string) =>
        new Promise<void>((resolve, reject) =>
          client.send(`<30>Dec  1 23:00:00 proxy ${text}`, journalPort, SYSLOG_HOST, (e) =>
            e ? reject(e) : resolve(),
          ),
        );
      // Until another program's message is in the catch-all file: HAProxy's, sent just before it each time,
      // would be there too if nothing stopped it.
      await waitFor("another program's message in the catch-all file", async () => {
        await send(`haproxy[4242]: ${journalCopy}`);
        await send("sshd[7]: marker from another program");
        return catchAllText().includes("marker from another program") ? true : undefined;
      });
    } finally {
      client.close();
    }
    assert.ok(!catchAllText().includes(journalCopy), `HAProxy's message in the catch-all file:\n${catchAllText()}`);
    assert.ok(!/haproxy\[/.test(catchAllText()), catchAllText());
    // The shipping ruleset is untouched: a refused connection still reaches the shipped file.
    assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, STRANGER), "established");
    await lineAfter("the refused connection's line", `sni="${STRANGER}"`);
  });
});
