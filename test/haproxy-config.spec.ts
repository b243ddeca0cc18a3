/**
 * renderHaproxyConfig: the shape of what it writes, the input it refuses, and the real
 * `haproxy -c` on the production-like default and on the variants the integration tests run.
 */
import { strict as assert } from "node:assert";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as fc from "fast-check";
import {
  HEALTH_CHECK_PATH,
  LONGEST_STREAM_SECONDS,
  PROXY_MAXCONN,
  PROXY_PORTS,
  STREAM_IDLE_TIMEOUT_SECONDS,
} from "../aws/constants";
import { backendName, renderHaproxyConfig, type HaproxyConfigOptions } from "../aws/haproxyConfig";
import { haproxyCheck, haproxyVersion } from "../bench/proxy/haproxy";

const FQDN = "contoso-aoai-dev.openai.azure.com";
const OTHER = "fabrikam-aoai-dev.openai.azure.com";
const BASE: HaproxyConfigOptions = { allowedFqdns: [FQDN], vpcCidr: "10.42.0.0/16" };
const SNAPSHOT = join(__dirname, "snapshots", "haproxy-default.cfg");

const render = (overrides: Partial<HaproxyConfigOptions> = {}) => renderHaproxyConfig({ ...BASE, ...overrides });
/** The lines of one section (`frontend tls_in`, `backend …`), trimmed, comments dropped. */
function section(config: string, title: string): string[] {
  const block = config.split("\n\n").find((b) => b.split("\n").some((line) => line === title));
  assert.ok(block, `no "${title}" section`);
  return block
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#") && l !== title);
}

describe("renderHaproxyConfig", () => {
  describe("TLS listener", () => {
    const tls = section(render({ allowedFqdns: [FQDN, OTHER] }), "frontend tls_in");

    it("listens on the TLS port of PROXY_PORTS on every address by default", () => {
      assert.ok(tls.includes(`bind :${PROXY_PORTS.tls}`));
    });

    it("relays in TCP mode (TLS passes through: no certificate, no `ssl` on the bind)", () => {
      assert.match(render(), /^defaults\n {4}mode tcp$/m);
      assert.ok(!tls.some((l) => l.startsWith("bind") && / ssl\b/.test(l)));
    });

    it("waits for a TLS ClientHello and refuses anything else", () => {
      assert.ok(tls.includes("tcp-request inspect-delay 5s"));
      assert.ok(tls.includes("acl tls_client_hello req.ssl_hello_type 1"));
      assert.ok(tls.includes("tcp-request content reject unless tls_client_hello"));
    });

    it("allows exactly the listed names as SNI and refuses the rest", () => {
      assert.ok(tls.includes(`acl sni_allowed req.ssl_sni -i ${FQDN} ${OTHER}`));
      const rules = tls.filter((l) => l.startsWith("tcp-request content"));
      assert.ok(
        rules.indexOf("tcp-request content reject unless sni_allowed") < rules.indexOf("tcp-request content accept"),
      );
    });

    it("routes each name by SNI to its own backend", () => {
      assert.deepEqual(
        tls.filter((l) => l.startsWith("use_backend")),
        [FQDN, OTHER].map((f) => `use_backend ${backendName(f)} if { req.ssl_sni -i ${f} }`),
      );
    });

    it("logs the SNI with each session", () => {
      assert.ok(tls.some((l) => l.startsWith("log-format") && l.includes("sni=%{+Q}[var(sess.sni)]")));
      assert.ok(tls.includes("tcp-request content set-var(sess.sni) req.ssl_sni if { req.ssl_sni -m found }"));
    });

    it("caps connections at PROXY_MAXCONN and keeps headroom for health checks and scrapes", () => {
      assert.ok(tls.includes(`maxconn ${PROXY_MAXCONN}`));
      const globalMax = section(render(), "global").find((l) => l.startsWith("maxconn "));
      assert.ok(Number(globalMax?.split(" ")[1]) > PROXY_MAXCONN, globalMax);
    });
  });

  describe("backends", () => {
    const config = render({ allowedFqdns: [FQDN, OTHER] });

    it("has one backend per allowed FQDN whose server is that FQDN on port 443", () => {
      for (const fqdn of [FQDN, OTHER]) {
        const server = section(config, `backend ${backendName(fqdn)}`).find((l) => l.startsWith("server "));
        assert.ok(server?.startsWith(`server azure ${fqdn}:443 `), server);
      }
    });

    it("re-resolves the name at run time and starts while it does not resolve", () => {
      const server = section(config, `backend ${backendName(FQDN)}`).find((l) => l.startsWith("server "))!;
      assert.match(server, / resolvers dns /);
      assert.match(server, / init-addr last,libc,none /);
    });

    it("checks the upstream with a TLS handshake carrying the FQDN as SNI", () => {
      const server = section(config, `backend ${backendName(FQDN)}`).find((l) => l.startsWith("server "))!;
      assert.match(server, new RegExp(` check check-ssl check-sni ${FQDN.replace(/\./g, "\\.")} verify none `));
    });

    it("uses the given upstream port", () => {
      assert.match(render({ upstreamPort: 8443 }), new RegExp(`server azure ${FQDN.replace(/\./g, "\\.")}:8443 `));
    });
  });

  describe("resolvers", () => {
    it("read the VPC resolver from resolv.conf by default and drop an obsolete address at once", () => {
      const resolvers = section(render(), "resolvers dns");
      assert.ok(resolvers.includes("parse-resolv-conf"));
      assert.ok(resolvers.includes("hold obsolete 0s"));
      assert.ok(resolvers.includes("timeout resolve 1s"));
    });

    it("use explicit name servers when given", () => {
      const resolvers = section(
        render({ resolvers: { nameservers: ["127.0.0.1:5353", "127.0.0.1:5354"] } }),
        "resolvers dns",
      );
      assert.deepEqual(
        resolvers.filter((l) => l.startsWith("nameserver")),
        ["nameserver ns1 127.0.0.1:5353", "nameserver ns2 127.0.0.1:5354"],
      );
      assert.ok(!resolvers.includes("parse-resolv-conf"));
    });
  });

  describe("timeouts and keep-alives", () => {
    const defaults = section(render(), "defaults");

    it("sets the tunnel timeout to STREAM_IDLE_TIMEOUT_SECONDS by default, or the given value", () => {
      assert.ok(defaults.includes(`timeout tunnel ${STREAM_IDLE_TIMEOUT_SECONDS}s`));
      assert.ok(section(render({ streamIdleTimeoutSeconds: 42 }), "defaults").includes("timeout tunnel 42s"));
    });

    it("sends TCP keep-alives to the client and the server, every minute of silence", () => {
      for (const side of ["cli", "srv"]) {
        assert.ok(defaults.includes(`option ${side}tcpka`));
        assert.ok(defaults.includes(`${side}tcpka-idle 60s`));
      }
    });

    it("lets an old worker's streams finish for LONGEST_STREAM_SECONDS after a reload", () => {
      assert.ok(section(render(), "global").includes(`hard-stop-after ${LONGEST_STREAM_SECONDS}s`));
      assert.ok(LONGEST_STREAM_SECONDS >= STREAM_IDLE_TIMEOUT_SECONDS);
    });
  });

  describe("health and metrics ports", () => {
    const config = render({ allowedFqdns: [FQDN, OTHER] });

    it("answers the NLB on the health port at HEALTH_CHECK_PATH, failing when any backend has no usable server", () => {
      const health = section(config, "frontend health");
      assert.ok(health.includes(`bind :${PROXY_PORTS.health}`));
      assert.ok(health.includes("mode http"));
      assert.ok(health.includes(`monitor-uri ${HEALTH_CHECK_PATH}`));
      assert.deepEqual(
        health.filter((l) => l.startsWith("acl upstream_unusable")),
        [FQDN, OTHER].map((f) => `acl upstream_unusable nbsrv(${backendName(f)}) lt 1`),
      );
      assert.ok(health.includes("monitor fail if upstream_unusable"));
    });

    it("serves Prometheus metrics on the metrics port to the VPC CIDR and 127.0.0.1 only", () => {
      const metrics = section(config, "frontend metrics");
      assert.ok(metrics.includes(`bind :${PROXY_PORTS.metrics}`));
      assert.ok(metrics.includes("acl metrics_client src 10.42.0.0/16 127.0.0.1"));
      assert.ok(metrics.includes("http-request deny deny_status 403 unless metrics_client"));
      assert.ok(metrics.includes("http-request use-service prometheus-exporter if { path /metrics }"));
    });

    it("binds all three listeners to the given address and ports", () => {
      const binds = render({ bindAddress: "127.0.0.2", ports: { tls: 1443, health: 1404, metrics: 1405 } })
        .split("\n")
        .filter((l) => l.trim().startsWith("bind "));
      assert.deepEqual(
        binds.map((l) => l.trim()),
        ["bind 127.0.0.2:1443", "bind 127.0.0.2:1404", "bind 127.0.0.2:1405"],
      );
    });
  });

  describe("logging", () => {
    it("logs to stdout (the journal under systemd) and never at emerg", () => {
      assert.ok(section(render(), "global").includes("log stdout format short daemon info alert"));
    });
  });

  it("uses no keyword that is deprecated or missing on HAProxy 2.6 or 2.8", () => {
    // Underscore fetch aliases are deprecated; fc_pp_tlv (PROXY v2 TLVs) needs 2.9; nbproc is gone since 2.5.
    for (const keyword of ["req_ssl_sni", "req_ssl_hello_type", "fc_pp_tlv", "nbproc"]) {
      assert.ok(!render().includes(keyword), keyword);
    }
    // `daemon` would fight systemd's `-Ws` (Type=notify).
    assert.ok(!section(render(), "global").includes("daemon"));
  });

  it("matches the committed snapshot (UPDATE_SNAPSHOTS=1 rewrites it)", () => {
    const config = render();
    if (process.env.UPDATE_SNAPSHOTS) writeFileSync(SNAPSHOT, config);
    assert.equal(config, readFileSync(SNAPSHOT, "utf8"));
  });

  it("lower-cases the names it is given", () => {
    assert.ok(render({ allowedFqdns: ["Contoso-AOAI-Dev.OpenAI.Azure.com"] }).includes(`server azure ${FQDN}:443 `));
  });

  it("holds every name of any allow list in the SNI list, a use_backend and a backend of its own", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.uniqueArray(label, { minLength: 1, maxLength: 6 }), (labels) => {
        const fqdns = labels.map((l) => `${l}.openai.azure.com`);
        const config = render({ allowedFqdns: fqdns });
        const tls = section(config, "frontend tls_in");
        assert.ok(tls.includes(`acl sni_allowed req.ssl_sni -i ${fqdns.join(" ")}`));
        assert.equal(config.split("\n").filter((l) => l.startsWith("backend ")).length, fqdns.length);
        for (const fqdn of fqdns) {
          assert.ok(tls.includes(`use_backend ${backendName(fqdn)} if { req.ssl_sni -i ${fqdn} }`));
          assert.ok(
            section(config, `backend ${backendName(fqdn)}`).some((l) => l.startsWith(`server azure ${fqdn}:443 `)),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  describe("refuses bad input with a message naming the option and the fix", () => {
    const cases: [string, Partial<HaproxyConfigOptions>, RegExp][] = [
      [
        "an empty allow list",
        { allowedFqdns: [] },
        /^Error: HAProxy config: allowedFqdns = \[\]: is empty\. Fix: list at least one/,
      ],
      [
        "a URL instead of a name",
        { allowedFqdns: ["https://contoso.openai.azure.com"] },
        /allowedFqdns\[0\] = "https:\/\/contoso.openai.azure.com": is not a DNS name\. Fix: give a DNS name/,
      ],
      ["a wildcard", { allowedFqdns: ["*.openai.azure.com"] }, /allowedFqdns\[0\]/],
      ["a trailing dot", { allowedFqdns: ["contoso.openai.azure.com."] }, /allowedFqdns\[0\]/],
      ["a name with a port", { allowedFqdns: ["contoso.openai.azure.com:443"] }, /allowedFqdns\[0\]/],
      ["an IP address", { allowedFqdns: ["10.0.0.1"] }, /allowedFqdns\[0\]/],
      ["a single label", { allowedFqdns: ["contoso"] }, /allowedFqdns\[0\]/],
      ["a label ending in a hyphen", { allowedFqdns: ["contoso-.openai.azure.com"] }, /allowedFqdns\[0\]/],
      ["whitespace", { allowedFqdns: [" contoso.openai.azure.com"] }, /allowedFqdns\[0\]/],
      [
        "a duplicate",
        { allowedFqdns: [FQDN, OTHER, FQDN] },
        /allowedFqdns\[2\] = "contoso-aoai-dev.openai.azure.com": is listed twice \(names are case-insensitive\)\. Fix: list each once/,
      ],
      ["a duplicate in another case", { allowedFqdns: [FQDN, FQDN.toUpperCase()] }, /allowedFqdns\[1\].*listed twice/],
      [
        "a CIDR with a bad prefix",
        { vpcCidr: "10.42.0.0/33" },
        /vpcCidr = "10.42.0.0\/33": is not an IPv4 CIDR\. Fix: give one such as/,
      ],
      ["a bare address as CIDR", { vpcCidr: "10.42.0.0" }, /vpcCidr/],
      [
        "a CIDR with host bits set",
        { vpcCidr: "10.42.0.1/16" },
        /vpcCidr = "10.42.0.1\/16": has host bits set\. Fix: give the network address, "10.42.0.0\/16"/,
      ],
      ["two listeners on one port", { ports: { health: 443 } }, /ports = .* three different ports/],
      [
        "a port out of range",
        { ports: { metrics: 70000 } },
        /ports.metrics = 70000: is not a whole number from 1 to 65535\. Fix: give a whole number from 1 to 65535/,
      ],
      ["a bad upstream port", { upstreamPort: 0 }, /upstreamPort = 0/],
      ["a bind address that is not IPv4", { bindAddress: "localhost" }, /bindAddress = "localhost"/],
      [
        "a name server without port",
        { resolvers: { nameservers: ["127.0.0.1"] } },
        /resolvers.nameservers\[0\] = "127.0.0.1": is not "ipv4:port"\. Fix: give one such as "127.0.0.1:5353"/,
      ],
      ["no name servers", { resolvers: { nameservers: [] } }, /resolvers = .*parse-resolv-conf/],
      ["a fractional timeout", { streamIdleTimeoutSeconds: 1.5 }, /streamIdleTimeoutSeconds = 1.5/],
      [
        "hard-stop shorter than the tunnel",
        { streamIdleTimeoutSeconds: 900, hardStopAfterSeconds: 600 },
        /hardStopAfterSeconds = 600: is shorter than streamIdleTimeoutSeconds \(900\)\. Fix: make it at least 900/,
      ],
      ["a zero maxconn", { maxconn: 0 }, /maxconn = 0/],
      ["a relative stats socket", { statsSocketPath: "stats.sock" }, /statsSocketPath/],
    ];
    for (const [what, overrides, message] of cases) {
      it(`throws on ${what}`, () => assert.throws(() => render(overrides), message));
    }
  });

  describe("accepted by the real `haproxy -c`", function () {
    before(function () {
      if (haproxyVersion()) return;
      if (process.env.CI) throw new Error("haproxy is not installed: .ci/run must `apt-get install -y haproxy`");
      console.warn("    SKIPPED: no haproxy binary (apt-get install -y haproxy); CI fails instead of skipping");
      this.skip();
    });

    /** Passes when haproxy -c accepts it with no warning but the expected "could not resolve" at check time. */
    function assertValid(config: string): void {
      const result = haproxyCheck(config);
      assert.ok(result.ok, result.output);
      const unexpected = result.output
        .split("\n")
        .filter((l) => /\[(WARNING|ALERT)\]/.test(l) && !/could not resolve address '[^']+', disabling server/.test(l));
      assert.deepEqual(unexpected, []);
    }

    it("accepts the production default (VPC resolver, ports 443/8404/8405)", () => assertValid(render()));

    it("accepts several FQDNs", () => assertValid(render({ allowedFqdns: [FQDN, OTHER, "third.openai.azure.com"] })));

    it("accepts the loopback variant the integration tests run", () =>
      assertValid(
        render({
          bindAddress: "127.0.0.2",
          ports: { tls: 20443, health: 20404, metrics: 20405 },
          upstreamPort: 21443,
          resolvers: { nameservers: ["127.0.0.1:5353"] },
          streamIdleTimeoutSeconds: 2,
          statsSocketPath: "/tmp/haproxy-test-stats.sock",
        }),
      ));

    it("rejects a broken configuration (the check is not a no-op)", () => {
      assert.equal(haproxyCheck(render().replace("mode tcp", "mode tcpx")).ok, false);
    });
  });
});
