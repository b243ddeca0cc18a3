/**
 * What `npm run bench:capacity` relies on: its arithmetic, and that the nginx it compares against
 * really is the same job as ours (TLS passthrough, the same SNI allow list), on loopback.
 */
import { strict as assert } from "node:assert";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as fc from "fast-check";
import { fitLine, markdownTable, ratio } from "../bench/capacity/stats";
import { freePort, type RunningHaproxy } from "../bench/proxy/haproxy";
import { nginxStreamAvailable, renderNginxStreamConfig, startNginx } from "../bench/proxy/nginxStream";
import { httpsCall, tlsHandshake } from "../bench/proxy/tlsClient";
import { createTestPki, startTlsUpstream, type TestPki, type TlsUpstream } from "../bench/proxy/tlsUpstream";

describe("bench:capacity arithmetic", () => {
  it("fitLine recovers the slope and intercept of points on a line", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 100_000 }), (slope, intercept) => {
        const fit = fitLine([0, 500, 1000, 4000].map((x) => ({ x, y: intercept + slope * x })));
        return Math.abs(fit.slope - slope) < 1e-6 && Math.abs(fit.intercept - intercept) < 1e-3;
      }),
    );
  });

  it("fitLine refuses points that all share one x", () => {
    assert.throws(
      () =>
        fitLine([
          { x: 5, y: 1 },
          { x: 5, y: 2 },
        ]),
      /two different x/,
    );
  });

  it("pads table columns and gives a ratio only against a usable base", () => {
    assert.equal(markdownTable(["a", "bb"], [["ccc", "d"]]), "| a   | bb |\n|-----|----|\n| ccc | d  |");
    assert.equal(ratio(3, 2), "1.50");
    assert.equal(ratio(3, 0), "–");
    assert.equal(ratio(3, undefined), "–");
  });
});

describe("nginx stream proxy (the comparison in bench:capacity)", function () {
  this.timeout(60_000);
  const FQDN = "contoso-aoai-bench.openai.azure.com";
  const HOST = "127.0.0.4";
  let pki: TestPki;
  let upstream: TlsUpstream;
  let nginx: RunningHaproxy;
  let port: number;
  let runDir: string;

  before(async function () {
    if (!nginxStreamAvailable()) {
      if (process.env.CI)
        throw new Error(
          "nginx with the stream module is missing: .ci/run must `apt-get install -y nginx-light libnginx-mod-stream`",
        );
      console.warn(
        "    SKIPPED: no nginx stream module (apt-get install -y nginx-light libnginx-mod-stream); CI fails instead of skipping",
      );
      return this.skip();
    }
    pki = createTestPki(undefined, { keyType: "ec" });
    upstream = await startTlsUpstream({ host: "127.0.0.10", port: await freePort("127.0.0.10"), name: "A", pki });
    port = await freePort(HOST);
    runDir = mkdtempSync(join(tmpdir(), "nginx-test-"));
    const config = renderNginxStreamConfig({
      bindAddress: HOST,
      port,
      allowedFqdns: [FQDN],
      server: `127.0.0.10:${upstream.port}`,
      runDir,
      workerFileLimit: 4096,
    });
    nginx = await startNginx(config, runDir, { host: HOST, port });
  });

  after(async () => {
    await nginx?.stop();
    await upstream?.stop();
    if (runDir) rmSync(runDir, { recursive: true, force: true });
  });

  it("passes TLS through: the client sees the upstream's own certificate for the allowed name", async () => {
    const result = await httpsCall({ host: HOST, port, servername: FQDN, ca: pki.caCert }, "/whoami");
    assert.equal(result.status, 200);
    assert.equal(result.peerFingerprint256, pki.serverFingerprint256);
  });

  it("refuses a name not on the allow list, and no SNI, without reaching the upstream", async () => {
    const before = upstream.sessionsFor("stranger.openai.azure.com") + upstream.sessionsFor(undefined);
    assert.notEqual(await tlsHandshake(HOST, port, "stranger.openai.azure.com"), "established");
    assert.notEqual(await tlsHandshake(HOST, port, undefined), "established");
    assert.equal(upstream.sessionsFor("stranger.openai.azure.com") + upstream.sessionsFor(undefined), before);
  });
});
