/**
 * The serverless job probe of `npm run verify`: what the one-time job checks from inside serverless
 * compute, the Python task that does it, the Jobs API request, and reading the task's output back
 * into check results. Pure: `workspaceJob.ts` does the calls.
 *
 * Probes are a list so other checks run in the same job (issue #17 adds its own definitions and
 * kinds): a probe names a host, what it expects (an HTTP answer, or a block by the network policy),
 * and why. The Python task runs each probe and prints one `PROBE_MARK` line of JSON per probe.
 */
import type { CheckResult } from "./verifyReport";
import { judgeFronting } from "./securityProbes";

/** What a probe expects from serverless compute; `refused`: Azure answers 421/404 (securityProbes.ts). */
export type ProbeExpectation = "answer" | "blocked" | "refused";

export interface ProbeDefinition {
  /** Short id, unique in the job; printed with the result. */
  readonly name: string;
  /**
   * How the task probes: `https` opens https://host/ and reports the HTTP status or the error;
   * `fronting` opens TLS to `host` (SNI = host) and asks for `hostHeader` in the HTTP Host header.
   */
  readonly kind: "https" | "fronting";
  readonly host: string;
  /** `fronting` only: the Host header sent inside the tunnel. */
  readonly hostHeader?: string;
  readonly expect: ProbeExpectation;
  /** One sentence for the report: what passing proves. */
  readonly proves: string;
}

/** One probe's outcome as the task printed it. */
export interface ProbeOutcome {
  readonly name: string;
  readonly host: string;
  /** `http`: the host answered (any status); `error`: no HTTP answer (DNS, connect, TLS, timeout). */
  readonly outcome: "http" | "error";
  readonly status?: number;
  readonly error?: string;
  readonly ms: number;
  /** Entries for the host in the network policy's denial log since the job started, when read. */
  readonly denials?: number;
}

export const PROBE_MARK = "DBX_AOAI_PROBE";

/**
 * The default probes: each account's Azure OpenAI FQDN through the private endpoint rule (any HTTP
 * answer from Azure proves the path; without a key Azure answers 401), the primary's first, and a
 * random name under openai.azure.com that nothing allows (the network policy must block it). `random`
 * is injected for tests.
 */
export function defaultProbes(azureOpenAiFqdns: string | readonly string[], random: string): ProbeDefinition[] {
  const [primary, ...others] = ([] as string[]).concat(azureOpenAiFqdns);
  const allowed = (host: string, name: string): ProbeDefinition => ({
    name,
    kind: "https",
    host,
    expect: "answer",
    proves:
      "serverless reaches Azure OpenAI through the private endpoint rule, the proxies and the allow-listed addresses",
  });
  return [
    allowed(primary, "allowed"),
    {
      name: "denied",
      kind: "https",
      host: `dbx-aoai-verify-${random}.openai.azure.com`,
      expect: "blocked",
      proves: "the network policy blocks a name that neither the rule nor the allow list holds",
    },
    // Probe names are unique in the job: the primary's stays `allowed`, the others are numbered from 2.
    ...others.map((host, i) => allowed(host, `allowed-${i + 2}`)),
  ];
}

/** Serverless environment of the task (Jobs API `environments[].spec`). */
export const PROBE_ENVIRONMENT_VERSION = "2";

/**
 * The Python task. Argument 1 is JSON: `{probes, readDenialLog, denialLogWaitSeconds}`. It reads the
 * denial log (system.access.outbound_network) only when asked: under DRY_RUN the policy lets a denied
 * name through and only logs it, and the log lags, so the task polls it for a bounded time.
 */
export const PROBE_SCRIPT = String.raw`# Written by npm run verify (dbx-aoai-link): probes egress from serverless compute.
import json, socket, ssl, sys, time, urllib.error, urllib.request

MARK = "${PROBE_MARK}"

def probe_https(probe):
    started = time.time()
    result = {"name": probe["name"], "host": probe["host"]}
    try:
        urllib.request.urlopen("https://%s/" % probe["host"], timeout=20)
        result.update(outcome="http", status=200)
    except urllib.error.HTTPError as e:
        result.update(outcome="http", status=e.code)
    except Exception as e:
        result.update(outcome="error", error="%s: %s" % (type(e).__name__, e))
    result["ms"] = int((time.time() - started) * 1000)
    return result

def probe_fronting(probe):
    # SNI = our FQDN (what HAProxy allows), Host = another account: what does Azure's front end answer?
    started = time.time()
    result = {"name": probe["name"], "host": probe["host"]}
    try:
        context = ssl.create_default_context()
        with socket.create_connection((probe["host"], 443), timeout=20) as raw:
            with context.wrap_socket(raw, server_hostname=probe["host"]) as tls:
                tls.sendall(("GET / HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n" % probe["hostHeader"]).encode("ascii"))
                head = tls.recv(4096).decode("latin-1")
        status_line = head.split("\r\n", 1)[0]
        result.update(outcome="http", status=int(status_line.split(" ")[1]))
    except Exception as e:
        result.update(outcome="error", error="%s: %s" % (type(e).__name__, e))
    result["ms"] = int((time.time() - started) * 1000)
    return result

KINDS = {"https": probe_https, "fronting": probe_fronting}

def denials(host, since, wait_seconds):
    from pyspark.sql import SparkSession
    spark = SparkSession.builder.getOrCreate()
    deadline = time.time() + wait_seconds
    while True:
        rows = spark.sql(
            "SELECT count(*) AS n FROM system.access.outbound_network WHERE destination = :host AND event_time >= :since",
            args={"host": host, "since": since}).collect()
        n = rows[0]["n"]
        if n > 0 or time.time() >= deadline:
            return n
        time.sleep(30)

def main():
    spec = json.loads(sys.argv[1])
    since = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime())
    for probe in spec["probes"]:
        result = KINDS[probe["kind"]](probe)
        if spec.get("readDenialLog") and probe["expect"] == "blocked":
            try:
                result["denials"] = denials(probe["host"], since, spec.get("denialLogWaitSeconds", 300))
            except Exception as e:
                result["denialLogError"] = "%s: %s" % (type(e).__name__, e)
        print(MARK + " " + json.dumps(result), flush=True)

main()
`;

export interface ProbeJobSpec {
  readonly probes: readonly ProbeDefinition[];
  readonly readDenialLog: boolean;
  readonly denialLogWaitSeconds: number;
}

/** Body of `POST /api/2.2/jobs/runs/submit`: one serverless Python task running the uploaded script. */
export function runsSubmitBody(
  stack: string,
  pythonFile: string,
  spec: ProbeJobSpec,
  timeoutSeconds: number,
): Record<string, unknown> {
  return {
    run_name: `dbx-aoai-link verify ${stack}`,
    timeout_seconds: timeoutSeconds,
    tasks: [
      {
        task_key: "probe",
        spark_python_task: { python_file: pythonFile, source: "WORKSPACE", parameters: [JSON.stringify(spec)] },
        environment_key: "probe",
      },
    ],
    environments: [{ environment_key: "probe", spec: { environment_version: PROBE_ENVIRONMENT_VERSION } }],
  };
}

/** The outcomes printed in a task's logs; lines that are not ours are ignored. */
export function parseProbeOutput(logs: string): ProbeOutcome[] {
  const outcomes: ProbeOutcome[] = [];
  for (const line of logs.split("\n")) {
    const at = line.indexOf(`${PROBE_MARK} `);
    if (at < 0) continue;
    try {
      outcomes.push(JSON.parse(line.slice(at + PROBE_MARK.length + 1)) as ProbeOutcome);
    } catch {
      // A truncated line: its probe is reported as missing below.
    }
  }
  return outcomes;
}

export const probeTitle = (p: Pick<ProbeDefinition, "expect" | "host">) =>
  p.expect === "answer" ? `serverless job reaches ${p.host}` : `serverless job is blocked from ${p.host}`;

/** What the probe saw, for a check's details: `HTTP 200 after 35 ms`, `timed out after 5000 ms`. */
export const seen = (o: ProbeOutcome) =>
  (o.outcome === "http" ? `HTTP ${o.status}` : (o.error ?? "no answer")) + ` after ${o.ms} ms`;

/** The failed check of a probe the job printed nothing for. */
export const noResult = (title: string): CheckResult => ({
  status: "fail",
  title,
  details: ["the job printed no result for this probe: see the run's output in the workspace (Jobs → Runs)"],
});

/** Judges one probe's outcome; `dryRun` is the network policy's enforcement being DRY_RUN. */
export function judgeProbe(p: ProbeDefinition, o: ProbeOutcome | undefined, dryRun: boolean): CheckResult {
  if (p.kind === "fronting") return judgeFronting(p, o);
  const title = probeTitle(p);
  if (!o) return noResult(title);
  if (p.expect === "answer") {
    if (o.outcome === "http") return { status: "pass", title, details: [`${seen(o)}: ${p.proves}`] };
    return {
      status: "fail",
      title,
      details: [
        `no HTTP answer: ${seen(o)}`,
        "Check, in order: the rule above is ESTABLISHED and its propagation time has passed; the network policy allows " +
          `${p.host}; the proxy tier's targets are healthy (NLB target group); each proxy carries a pool EIP.`,
      ],
    };
  }
  if (dryRun) {
    if (o.denials && o.denials > 0) {
      return {
        status: "pass",
        title: `${title} (would be blocked: DRY_RUN)`,
        details: [`${seen(o)}; the policy's denial log holds ${o.denials} entr${o.denials === 1 ? "y" : "ies"} for it`],
      };
    }
    return {
      status: "skip",
      title: `${title} (DRY_RUN)`,
      details: [
        `${seen(o)}; no denial logged for it yet (the log lags by minutes)`,
        `Look later: SELECT * FROM system.access.outbound_network WHERE destination = '${p.host}'`,
      ],
    };
  }
  if (o.outcome === "error") return { status: "pass", title, details: [`${seen(o)}: ${p.proves}`] };
  return {
    status: "fail",
    title,
    details: [
      `${seen(o)}: serverless reached a host the policy should block`,
      "Check the network policy is attached to this workspace (below) with restrictionMode RESTRICTED_ACCESS and enforcement ENFORCED.",
    ],
  };
}

/** A finished run of the probe job (verify/workspaceJob.ts), as `jobChecks` judges it. */
export interface FinishedRun {
  readonly runId: number;
  readonly runPageUrl?: string;
  /** `state.life_cycle_state` / `state.result_state` of the run when it ended. */
  readonly lifeCycleState: string;
  readonly resultState?: string;
  readonly stateMessage?: string;
  /** The task's stdout (empty when the run produced none). */
  readonly logs: string;
  /** The task's error and trace, when it failed. */
  readonly error?: string;
  readonly elapsedMs: number;
}

export const JOB_TITLE = "serverless job runs the probes";

/** The run itself, then one check per probe definition. */
export function jobChecks(probes: readonly ProbeDefinition[], run: FinishedRun, dryRun: boolean): CheckResult[] {
  const outcomes = parseProbeOutput(run.logs);
  const where = `run ${run.runId}${run.runPageUrl ? ` (${run.runPageUrl})` : ""}, ${Math.round(run.elapsedMs / 1000)} s`;
  if (run.resultState !== "SUCCESS" && outcomes.length === 0) {
    return [
      {
        status: "fail",
        title: JOB_TITLE,
        details: [
          `${where}: ${run.lifeCycleState}${run.resultState ? `/${run.resultState}` : ""}${run.stateMessage ? `: ${run.stateMessage}` : ""}`,
          ...(run.error ? [run.error.split("\n").slice(0, 6).join("\n    ")] : []),
          "The principal needs to run serverless jobs in this workspace (serverless compute enabled, workspace user).",
        ],
      },
    ];
  }
  return [
    { status: "pass", title: JOB_TITLE, details: [where] },
    ...probes.map((p) =>
      judgeProbe(
        p,
        outcomes.find((o) => o.name === p.name),
        dryRun,
      ),
    ),
  ];
}
