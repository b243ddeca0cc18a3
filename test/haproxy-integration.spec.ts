/**
 * Real HAProxy, on loopback, with the configuration the user data carries: rendered by the same
 * function, only addresses and ports moved to 127.0.0.x. Azure OpenAI is a Node HTTPS server with
 * a test CA, the VPC resolver a dns2 server whose answers the tests change.
 */
import { strict as assert } from "node:assert";
import { createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backendName, renderHaproxyConfig, type HaproxyConfigOptions, type ProxyPorts } from "../aws/haproxyConfig";
import { HEALTH_CHECK_PATH, PROXY_MAXCONN } from "../aws/constants";
import { startDnsServer, type TestDnsServer } from "../bench/proxy/dnsServer";
import {
  freePort,
  haproxyVersion,
  maxconnFittingThisMachine,
  runnableAs,
  startHaproxy,
  type RunningHaproxy,
} from "../bench/proxy/haproxy";
import { startLoopbackProxy } from "../bench/proxy/loopbackProxy";
import { renderReferenceConfig } from "../bench/proxy/referenceConfig";
import { httpGet, httpsCall, plainHttpProbe, readStream, tlsHandshake, type TlsTarget } from "../bench/proxy/tlsClient";
import { createTestPki, startTlsUpstreamsOnOnePort, type TestPki, type TlsUpstream } from "../bench/proxy/tlsUpstream";
import { waitFor } from "../bench/proxy/wait";
import { createSocket, type Socket } from "node:dgram";
import { REFUSED_TLS_FILTER_PATTERN, matchesTermPattern } from "../aws/proxyLogShipping";

const FQDN = "contoso-aoai-test.openai.azure.com";
const OTHER_FQDN = "fabrikam-aoai-test.openai.azure.com";
const PROXY_HOST = "127.0.0.2";
const REFERENCE_HOST = "127.0.0.3";
// The "VPC" for the metrics ACL: 127.0.0.8–15. Sources outside it (but not 127.0.0.1) are refused.
const VPC_CIDR = "127.0.0.8/29";
const SOURCE_IN_VPC = "127.0.0.9";
const SOURCE_OUTSIDE_VPC = "127.0.0.20";

describe("HAProxy on loopback with the rendered configuration", function () {
  let pki: TestPki;
  let dns: TestDnsServer;
  let upstreamA: TlsUpstream;
  let upstreamB: TlsUpstream;
  let stateDir: string;
  let maxconn: number | undefined;
  const proxies: RunningHaproxy[] = [];

  before(async function () {
    this.timeout(30_000);
    const version = haproxyVersion();
    if (!version) {
      if (process.env.CI) throw new Error("haproxy is not installed: .ci/run must `apt-get install -y haproxy`");
      console.warn("    SKIPPED: no haproxy binary (apt-get install -y haproxy); CI fails instead of skipping");
      return this.skip();
    }
    maxconn = maxconnFittingThisMachine(PROXY_MAXCONN);
    console.log(`    using ${version}${maxconn ? `; maxconn ${maxconn} to fit this machine's hard FD limit` : ""}`);
    pki = createTestPki();
    dns = await startDnsServer();
    [upstreamA, upstreamB] = await startTlsUpstreamsOnOnePort(
      [
        { host: "127.0.0.10", name: "A" },
        { host: "127.0.0.11", name: "B" },
      ],
      pki,
      freePort,
    );
    stateDir = mkdtempSync(join(tmpdir(), "haproxy-it-"));
  });

  beforeEach(async () => {
    dns?.set(FQDN, upstreamA?.host);
    await upstreamA?.start();
  });

  afterEach(async () => {
    await Promise.all(proxies.splice(0).map((p) => p.stop()));
  });

  after(async () => {
    await Promise.all(proxies.splice(0).map((p) => p.stop()));
    await Promise.all([upstreamA?.stop(), upstreamB?.stop(), dns?.stop()]);
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  /**
   * Renders the production configuration with loopback addresses and free ports, embeds it in the
   * user data and runs what comes back out: the bytes an instance would run.
   */
  async function startProxy(
    overrides: Partial<HaproxyConfigOptions> = {},
  ): Promise<{ ports: ProxyPorts; haproxy: RunningHaproxy }> {
    const started = await startLoopbackProxy({
      host: PROXY_HOST,
      allowedFqdns: [FQDN],
      vpcCidr: VPC_CIDR,
      upstreamPort: upstreamA.port,
      nameserver: dns.address,
      stateDir,
      maxconn,
      overrides,
    });
    proxies.push(started.haproxy);
    return started;
  }

  const target = (port: number, servername = FQDN): TlsTarget => ({
    host: PROXY_HOST,
    port,
    servername,
    ca: pki.caCert,
  });
  const health = async (ports: ProxyPorts) => (await httpGet(PROXY_HOST, ports.health, HEALTH_CHECK_PATH)).status;
  const waitForHealth = (ports: ProxyPorts, status: number, timeoutMs = 10_000) =>
    waitFor(`health ${status}`, async () => ((await health(ports)) === status ? Date.now() : undefined), {
      timeoutMs,
      intervalMs: 100,
    });
  const whoami = async (port: number, servername = FQDN) =>
    (JSON.parse((await httpsCall(target(port, servername), "/whoami")).body.toString()) as { upstream: string })
      .upstream;

  describe("TLS passthrough", () => {
    it("shows the client the upstream's own certificate, verified for the Azure name", async function () {
      this.timeout(20_000);
      const { ports } = await startProxy();
      await waitForHealth(ports, 200);
      const proxied = await httpsCall(target(ports.tls), "/whoami");
      const direct = await httpsCall({ ...target(upstreamA.port), host: upstreamA.host }, "/whoami");
      assert.equal(proxied.status, 200);
      assert.equal(proxied.peerFingerprint256, pki.serverFingerprint256);
      assert.equal(proxied.peerFingerprint256, direct.peerFingerprint256);
    });

    it("carries a 4 MB request body and an 8 MB response body intact", async function () {
      this.timeout(20_000);
      const { ports } = await startProxy();
      await waitForHealth(ports, 200);
      const upload = randomBytes(4 << 20);
      const echoed = await httpsCall(target(ports.tls), "/echo", { method: "POST", body: upload });
      assert.ok(echoed.body.equals(upload), "echoed body differs from the one sent");
      const large = await httpsCall(target(ports.tls), `/large?bytes=${8 << 20}`);
      assert.equal(large.body.length, 8 << 20);
      assert.equal(createHash("sha256").update(large.body).digest("hex"), large.headers["x-body-sha256"]);
    });

    it("accepts a ClientHello split over two TCP segments", async function () {
      this.timeout(20_000);
      const { ports } = await startProxy();
      await waitForHealth(ports, 200);
      assert.equal(await tlsHandshake(PROXY_HOST, ports.tls, FQDN, { splitHelloAfter: 20 }), "established");
    });

    it("logs each session with the SNI the client sent", async function () {
      this.timeout(20_000);
      const { ports, haproxy } = await startProxy();
      await waitForHealth(ports, 200);
      await httpsCall(target(ports.tls), "/whoami");
      await waitFor("a log line with the SNI", () =>
        haproxy
          .logs()
          .split("\n")
          .find((line) => line.includes(`${backendName(FQDN)}/azure`) && line.includes(`sni="${FQDN}"`)),
      );
    });
  });

  describe("SNI allow list", () => {
    it("refuses a name not on the list, never reaching the upstream, and logs the name", async function () {
      this.timeout(20_000);
      const { ports, haproxy } = await startProxy();
      await waitForHealth(ports, 200);
      const stranger = "evil-aoai.openai.azure.com";
      assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, stranger), "established");
      assert.equal(upstreamA.sessionsFor(stranger), 0);
      await waitFor("a log line for the refused name", () =>
        haproxy
          .logs()
          .split("\n")
          .find((l) => l.includes(`sni="${stranger}"`)),
      );
    });

    it("ships a refused name's line to syslog, and the CloudWatch metric filter counts it (and not an allowed session)", async function () {
      this.timeout(20_000);
      // What rsyslog receives on the instance: HAProxy's own syslog datagrams on a loopback UDP port.
      const syslog = await startSyslogSink();
      try {
        const { ports } = await startProxy({ syslogTarget: `127.0.0.1:${syslog.port}` });
        await waitForHealth(ports, 200);
        await httpsCall(target(ports.tls), "/whoami");
        const stranger = "exfil-aoai.openai.azure.com";
        assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, stranger), "established");
        const refused = await waitFor("the refused name's syslog message", () =>
          syslog.messages().find((m) => m.includes(`sni="${stranger}"`)),
        );
        const allowed = await waitFor("the allowed session's syslog message", () =>
          syslog.messages().find((m) => m.includes(`sni="${FQDN}"`)),
        );
        console.log(`      refused: ${refused}`);
        assert.ok(matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, refused), refused);
        assert.ok(!matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, allowed), allowed);
        // Plain bytes on the TLS port are refused (and counted) too.
        await plainHttpProbe(PROXY_HOST, ports.tls);
        await waitFor("a refused non-TLS message", () =>
          syslog.messages().find((m) => matchesTermPattern(REFUSED_TLS_FILTER_PATTERN, m) && !m.includes(stranger)),
        );
      } finally {
        await syslog.stop();
      }
    });

    it("refuses a ClientHello without SNI", async function () {
      this.timeout(20_000);
      const { ports } = await startProxy();
      await waitForHealth(ports, 200);
      assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, undefined), "established");
      assert.equal(upstreamA.sessionsFor(undefined), 0);
    });

    it("closes plain HTTP at once without answering", async function () {
      this.timeout(20_000);
      const { ports } = await startProxy();
      const { bytes, closedAfterMs } = await plainHttpProbe(PROXY_HOST, ports.tls);
      assert.equal(bytes, 0);
      assert.ok(closedAfterMs < 2000, `closed after ${closedAfterMs} ms, not at once`);
    });

    it("routes each allowed name to its own backend", async function () {
      this.timeout(20_000);
      dns.set(OTHER_FQDN, upstreamB.host);
      const { ports } = await startProxy({ allowedFqdns: [FQDN, OTHER_FQDN] });
      await waitForHealth(ports, 200);
      assert.equal(await whoami(ports.tls, FQDN), "A");
      assert.equal(await whoami(ports.tls, OTHER_FQDN), "B");
    });

    it("with two accounts, refuses a third name and judges each account's backend on its own", async function () {
      this.timeout(40_000);
      dns.set(OTHER_FQDN, upstreamB.host);
      const { ports } = await startProxy({ allowedFqdns: [FQDN, OTHER_FQDN] });
      await waitForHealth(ports, 200);
      const third = "third-aoai-test.openai.azure.com";
      assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, third), "established");
      assert.equal(
        upstreamA.sessionsFor(third) + upstreamB.sessionsFor(third),
        0,
        "the third name reached no upstream",
      );
      const activeServers = async (fqdn: string) => {
        const { body } = await httpGet(PROXY_HOST, ports.metrics, "/metrics", { localAddress: "127.0.0.1" });
        const line = new RegExp(
          `haproxy_backend_active_servers\\{proxy="${backendName(fqdn).replace(/\./g, "\\.")}"\\} (\\d+)`,
        );
        return Number(line.exec(body)?.[1]);
      };
      await upstreamB.stop();
      try {
        await waitFor("the second account's backend down", async () =>
          (await activeServers(OTHER_FQDN)) === 0 ? true : undefined,
        );
        assert.equal(await activeServers(FQDN), 1, "the first account's backend stays up");
        assert.equal(await whoami(ports.tls, FQDN), "A", "the first account is still served");
      } finally {
        await upstreamB.start();
      }
    });
  });

  describe("health port", () => {
    it("answers 200 while the upstream is up, 503 within seconds of it going down, 200 once it is back", async function () {
      this.timeout(40_000);
      const { ports } = await startProxy();
      await waitForHealth(ports, 200);
      const stopped = Date.now();
      await upstreamA.stop();
      const down = await waitForHealth(ports, 503, 8000);
      const restarted = Date.now();
      await upstreamA.start();
      const up = await waitForHealth(ports, 200, 10_000);
      console.log(`      503 after ${down - stopped} ms; 200 again after ${up - restarted} ms`);
      assert.ok(down - stopped < 6000);
    });
  });

  describe("runtime DNS", () => {
    it("follows the name to a new address for new connections, without a restart", async function () {
      this.timeout(30_000);
      const { ports, haproxy } = await startProxy();
      await waitForHealth(ports, 200);
      assert.equal(await whoami(ports.tls), "A");
      const repointed = Date.now();
      dns.set(FQDN, upstreamB.host);
      await waitFor(
        "connections to reach upstream B",
        async () => ((await whoami(ports.tls)) === "B" ? true : undefined),
        {
          timeoutMs: 10_000,
          intervalMs: 200,
        },
      );
      console.log(`      followed the new address after ${Date.now() - repointed} ms`);
      assert.match(haproxy.logs(), /changed its IP from 127\.0\.0\.10 to 127\.0\.0\.11/);
    });

    it("starts while the name does not resolve, answers 503, and serves once it resolves", async function () {
      this.timeout(30_000);
      dns.set(FQDN, undefined);
      const { ports } = await startProxy();
      assert.equal(await health(ports), 503);
      assert.notEqual(await tlsHandshake(PROXY_HOST, ports.tls, FQDN, { timeoutMs: 3000 }), "established");
      dns.set(FQDN, upstreamA.host);
      await waitForHealth(ports, 200, 10_000);
      assert.equal(await whoami(ports.tls), "A");
    });
  });

  describe("metrics port", () => {
    it("serves Prometheus metrics to the VPC and loopback, 403 to anyone else", async function () {
      this.timeout(20_000);
      const { ports } = await startProxy();
      await waitForHealth(ports, 200);
      const fromLoopback = await httpGet(PROXY_HOST, ports.metrics, "/metrics", { localAddress: "127.0.0.1" });
      assert.equal(fromLoopback.status, 200);
      assert.match(
        fromLoopback.body,
        new RegExp(`haproxy_backend_active_servers\\{proxy="${backendName(FQDN).replace(/\./g, "\\.")}"\\} 1`),
      );
      assert.equal((await httpGet(PROXY_HOST, ports.metrics, "/metrics", { localAddress: SOURCE_IN_VPC })).status, 200);
      assert.equal(
        (await httpGet(PROXY_HOST, ports.metrics, "/metrics", { localAddress: SOURCE_OUTSIDE_VPC })).status,
        403,
      );
      assert.equal(
        (await httpGet(PROXY_HOST, ports.metrics, "/stats", { localAddress: SOURCE_OUTSIDE_VPC })).status,
        403,
      );
    });
  });

  describe("long streams", () => {
    it("cuts a stream silent longer than the reference blog's timeouts (scaled: 2 s, first token at 4 s)", async function () {
      this.timeout(20_000);
      const port = await freePort(REFERENCE_HOST);
      const config = renderReferenceConfig({
        bindAddress: REFERENCE_HOST,
        port,
        server: `${upstreamA.host}:${upstreamA.port}`,
        timeoutSeconds: 2,
      });
      proxies.push(await startHaproxy(config, { readyOn: { host: REFERENCE_HOST, port } }));
      const result = await readStream(
        { ...target(port), host: REFERENCE_HOST },
        "/stream?silenceMs=4000&chunks=3&intervalMs=100",
        10_000,
      );
      assert.equal(result.complete, false);
      assert.deepEqual(result.events, []);
      assert.ok(result.elapsedMs >= 1900 && result.elapsedMs < 3500, `cut after ${result.elapsedMs} ms`);
    });

    it("with the tunnel timeout scaled to 2 s, cuts 4 s of silence but keeps a 6 s stream that never pauses 2 s", async function () {
      this.timeout(30_000);
      const { ports } = await startProxy({ streamIdleTimeoutSeconds: 2 });
      await waitForHealth(ports, 200);
      const silent = await readStream(target(ports.tls), "/stream?silenceMs=4000&chunks=3&intervalMs=100", 10_000);
      assert.equal(silent.complete, false);
      const steady = await readStream(target(ports.tls), "/stream?silenceMs=1000&chunks=10&intervalMs=500", 15_000);
      assert.equal(steady.complete, true, steady.error);
      assert.equal(steady.events.length, 11);
    });

    it("delivers whole a stream with 35 s of silence before the first chunk and 65 s in all (production timeouts)", async function () {
      this.timeout(100_000);
      const { ports } = await startProxy();
      await waitForHealth(ports, 200);
      const result = await readStream(target(ports.tls), "/stream?silenceMs=35000&chunks=30&intervalMs=1000", 90_000);
      assert.equal(result.complete, true, result.error);
      assert.deepEqual(result.events, [...Array.from({ length: 30 }, (_, i) => String(i)), "[DONE]"]);
      assert.ok(result.elapsedMs > 64_000, `took only ${result.elapsedMs} ms`);
    });
  });
});

/**
 * A UDP syslog receiver on loopback: each datagram's message part, as rsyslog's `%msg%` gives it
 * (RFC 3164: `<PRI>TIMESTAMP HOST TAG: MSG`; HAProxy's tag is `haproxy[PID]:`).
 */
async function startSyslogSink(): Promise<{ port: number; messages(): string[]; stop(): Promise<void> }> {
  const socket: Socket = createSocket("udp4");
  const received: string[] = [];
  socket.on("message", (datagram) => {
    const text = datagram.toString("utf8");
    const tag = /haproxy\[\d+\]: ?/.exec(text);
    received.push(tag ? text.slice(tag.index + tag[0].length).trimEnd() : text);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    port: socket.address().port,
    messages: () => [...received],
    stop: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

describe("HAProxy for a user who is not root (a developer's machine, GitHub's runner)", () => {
  const rendered = renderHaproxyConfig({
    allowedFqdns: [FQDN],
    vpcCidr: "10.0.0.0/16",
    resolvers: { nameservers: ["10.0.0.2:53"] },
  });

  it("runs the rendered configuration unchanged as root", () => {
    assert.strictEqual(runnableAs(rendered, 0), rendered);
  });

  it("drops only the root-only privilege drop (user, group, chroot) otherwise", () => {
    const removed = rendered.split("\n").filter((line) => !runnableAs(rendered, 1000).split("\n").includes(line));
    assert.deepStrictEqual(removed, ["    user haproxy", "    group haproxy", "    chroot /var/lib/haproxy"]);
  });
});
