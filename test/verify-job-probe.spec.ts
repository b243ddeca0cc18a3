/**
 * The job probe's pure parts, and its Python task run for real with python3 against 127.0.0.1 (the
 * task is what serverless compute executes; here it must run, probe, and print lines verify parses).
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  PROBE_MARK,
  PROBE_SCRIPT,
  defaultProbes,
  judgeProbe,
  parseProbeOutput,
  runsSubmitBody,
} from "../verify/jobProbe";
import { propagationLeftMs } from "../verify/verifyReport";
import { type LoopbackServer, serveOnLoopback } from "./support/loopbackServer";

describe("verify: job probe", () => {
  it("probes the Azure FQDN for an answer and a random openai.azure.com name for a block", () => {
    const [allowed, denied, ...more] = defaultProbes("x.openai.azure.com", "abc123");
    assert.equal(more.length, 0);
    assert.deepEqual([allowed.host, allowed.expect], ["x.openai.azure.com", "answer"]);
    assert.deepEqual([denied.host, denied.expect], ["dbx-aoai-verify-abc123.openai.azure.com", "blocked"]);
    assert.notEqual(defaultProbes("x.openai.azure.com", "a")[1].host, defaultProbes("x.openai.azure.com", "b")[1].host);
  });

  it("submits one serverless task: an environment, no cluster, the spec as its one parameter", () => {
    const spec = { probes: defaultProbes("x.openai.azure.com", "r"), readDenialLog: false, denialLogWaitSeconds: 300 };
    const body = runsSubmitBody("dev", "/Shared/p.py", spec, 1200) as {
      tasks: Record<string, any>[];
      environments: Record<string, any>[];
    };
    assert.equal(body.tasks.length, 1);
    assert.deepEqual(Object.keys(body.tasks[0]).sort(), ["environment_key", "spark_python_task", "task_key"]);
    assert.deepEqual(JSON.parse(body.tasks[0].spark_python_task.parameters[0]), spec);
    assert.equal(body.environments[0].environment_key, body.tasks[0].environment_key);
  });

  it("reads only its own lines from the task output, skipping a truncated one", () => {
    const logs = [
      "pip noise",
      `${PROBE_MARK} {"name":"allowed","host":"h","outcome":"http","status":401,"ms":5}`,
      `${PROBE_MARK} {"name":"denied",`,
    ].join("\n");
    assert.deepEqual(parseProbeOutput(logs), [{ name: "allowed", host: "h", outcome: "http", status: 401, ms: 5 }]);
  });

  it("judges: an answer where one is expected passes whatever the status; an error where a block is expected passes", () => {
    const [allowed, denied] = defaultProbes("x.openai.azure.com", "r");
    assert.equal(
      judgeProbe(allowed, { name: "allowed", host: "x", outcome: "http", status: 403, ms: 1 }, false).status,
      "pass",
    );
    assert.equal(
      judgeProbe(denied, { name: "denied", host: "y", outcome: "error", error: "e", ms: 1 }, false).status,
      "pass",
    );
    assert.equal(
      judgeProbe(denied, { name: "denied", host: "y", outcome: "error", error: "e", ms: 1, denials: 0 }, true).status,
      "skip",
    );
  });

  it("waits out what is left of the propagation time after a recent change, capped, and nothing for an unknown time", () => {
    const now = 1_000_000_000;
    assert.equal(propagationLeftMs({ updated_time: now - 100_000 }, now, 600), 500_000);
    assert.equal(propagationLeftMs({ updated_time: now - 700_000 }, now, 600), 0);
    assert.equal(propagationLeftMs({}, now, 600), 0);
    assert.equal(propagationLeftMs({ updated_time: now }, now, 0), 0);
  });

  describe("the Python task, run with python3", () => {
    let dir: string;
    let server: LoopbackServer;
    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), "probe-"));
      server = await serveOnLoopback((_req, res) => {
        res.writeHead(401);
        res.end();
      });
    });
    after(async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it("prints one parseable line per probe: an error for a closed port, an HTTP status for a listening one", async () => {
      const port = server.port;
      // The task always speaks https on 443; for the test it is pointed at plain http on a local port.
      const script = PROBE_SCRIPT.replace(
        '"https://%s/" % probe["host"]',
        `"http://127.0.0.1:${port}/" if probe["name"] == "local" else "https://%s/" % probe["host"]`,
      );
      writeFileSync(path.join(dir, "probe.py"), script);
      const spec = {
        probes: [
          { name: "local", kind: "https", host: "127.0.0.1", expect: "answer" },
          { name: "closed", kind: "https", host: "127.0.0.1", expect: "blocked" },
        ],
        readDenialLog: false,
      };
      const { stdout } = await promisify(execFile)("python3", [path.join(dir, "probe.py"), JSON.stringify(spec)], {
        timeout: 30_000,
      });
      const [local, closed] = parseProbeOutput(stdout);
      assert.deepEqual([local.name, local.outcome, local.status], ["local", "http", 401]);
      assert.deepEqual([closed.name, closed.outcome], ["closed", "error"]);
      assert.match(closed.error ?? "", /refused|URLError/i);
      assert.ok(closed.ms >= 0);
    });
  });
});
