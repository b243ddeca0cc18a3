/**
 * The security probes `npm run verify` adds to the serverless job (issue #17): domain fronting through
 * our path, and the verdict that tells which network-policy setting is safe in a given account. Pure:
 * probe definitions and verdicts over the outcomes the job's Python task prints.
 *
 * Fronting: HAProxy decides on the TLS SNI only; the HTTP Host header travels encrypted inside the
 * tunnel. A client that sends SNI = our FQDN and `Host: <another account>.openai.azure.com` reaches
 * Azure's shared front end from our pool addresses. Whether the Cognitive Services front end refuses a
 * Host that differs from the SNI is not documented, so the probe asks it.
 */
import {
  type FinishedRun,
  noResult,
  type ProbeDefinition,
  type ProbeOutcome,
  parseProbeOutput,
  seen,
} from "./jobProbe";
import type { CheckResult } from "./verifyReport";

/** HTTP answers by which a front end refuses a Host it was not asked for on this TLS connection. */
export const FRONTING_REFUSED_STATUSES: readonly number[] = [421, 404];

export { FQDN_ALLOW_DECISION } from "../databricks/fqdnDecision";

/** Another account's name: random, so it names no real account. */
export function otherAccountHost(random: string): string {
  return `dbx-aoai-verify-${random}.openai.azure.com`;
}

/** Connect and send SNI = our FQDN through our path, then ask for another account in the Host header. */
export function frontingProbe(azureOpenAiFqdn: string, random: string): ProbeDefinition {
  return {
    name: "fronting",
    kind: "fronting",
    host: azureOpenAiFqdn,
    hostHeader: otherAccountHost(random),
    expect: "refused",
    proves:
      "Azure's front end refuses a Host header for another account on a connection made to our account (no fronting through our addresses)",
  };
}

/** The fronting verdict: 421/404 = refused (pass); any other answer = Azure served the other Host (fail). */
export function judgeFronting(p: ProbeDefinition, o: ProbeOutcome | undefined): CheckResult {
  const title = `fronting through our path (SNI ${p.host}, Host ${p.hostHeader}) is refused`;
  if (!o) return noResult(title);
  if (o.outcome === "error") {
    return {
      status: "fail",
      title,
      details: [
        `no HTTP answer through our path: ${seen(o)}`,
        "The path itself is broken: see the `allowed` probe above.",
      ],
    };
  }
  if (FRONTING_REFUSED_STATUSES.includes(o.status ?? 0)) {
    return { status: "pass", title, details: [`Azure answered ${seen(o)}: ${p.proves}`] };
  }
  return {
    status: "fail",
    title,
    details: [
      `Azure answered ${seen(o)} to a Host header naming another account: its front end may route by Host, so code in serverless ` +
        "could reach other Azure OpenAI accounts from our pool addresses (the allow-listed egress is then not exclusive to our account).",
      "What to do: accounts you do not own cannot be closed from here. Limit who runs code in the workspaces (the network policy " +
        "governs the whole workspace), keep the key out of users' reach (secret scope ACL), and watch the refused-SNI metric; " +
        "see docs/threat-model.md (residual risks).",
    ],
  };
}

/**
 * What to tell when the `denied` probe was NOT blocked: a name under openai.azure.com other than ours is
 * reachable from serverless (the FQDN filter allows every name that shares an address with an allowed one).
 */
export function bypassAdvice(allowFqdn: boolean): string[] {
  return allowFqdn
    ? [
        "Bypass: with our FQDN among the network policy's allowed destinations, serverless reached another *.openai.azure.com name directly.",
        "Close it: set dbx-aoai-link:databricks.networkPolicy.allowAzureOpenAiFqdn: false, run `pulumi up`, then this verify again: " +
          "if `allowed` still answers (the private endpoint rule serves the name without the allow entry), keep false.",
      ]
    : [
        "Bypass: serverless reached another *.openai.azure.com name although our FQDN is not an allowed destination: " +
          "check the policy's other allowedInternetDestinations and that ENFORCED is set; the FQDN switch is not the cause.",
      ];
}

/** The verdict line on the FQDN switch, from the two probes of one run. */
export function fqdnSwitchVerdict(allowFqdn: boolean, allowedAnswered: boolean, deniedBlocked: boolean): CheckResult {
  const setting = `networkPolicy.allowAzureOpenAiFqdn = ${allowFqdn}`;
  if (allowedAnswered && deniedBlocked) {
    return {
      status: "pass",
      title: `${setting} is safe in this account`,
      details: ["our FQDN answers and another account's name is blocked"],
    };
  }
  if (!allowedAnswered && !allowFqdn) {
    return {
      status: "fail",
      title: `${setting} breaks the path in this account`,
      details: ["the private endpoint rule does not serve the name without the allow entry: set it to true"],
    };
  }
  if (!deniedBlocked)
    return { status: "fail", title: `${setting} leaves a bypass in this account`, details: bypassAdvice(allowFqdn) };
  return {
    status: "skip",
    title: `${setting}: undecided`,
    details: ["the path does not answer for another reason: fix it first (see `allowed`)"],
  };
}

/**
 * The switch verdict from one run's `allowed` and `denied` probes (#12's defaults). Under DRY_RUN the
 * policy blocks nothing, so the verdict waits for an ENFORCED run.
 */
export function fqdnSwitchChecks(
  probes: readonly ProbeDefinition[],
  run: FinishedRun,
  allowFqdn: boolean,
  dryRun: boolean,
): CheckResult[] {
  const outcomes = parseProbeOutput(run.logs);
  const outcomeOf = (expect: ProbeDefinition["expect"]) => {
    const probe = probes.find((p) => p.expect === expect && p.kind === "https");
    return probe && outcomes.find((o) => o.name === probe.name);
  };
  const allowed = outcomeOf("answer");
  const denied = outcomeOf("blocked");
  const title = `networkPolicy.allowAzureOpenAiFqdn = ${allowFqdn}`;
  if (!allowed || !denied)
    return [
      {
        status: "skip",
        title: `${title}: undecided`,
        details: ["the job printed no result for the allowed or denied probe"],
      },
    ];
  if (dryRun)
    return [
      {
        status: "skip",
        title: `${title}: undecided under DRY_RUN`,
        details: ["decide from a run with enforcement ENFORCED"],
      },
    ];
  return [fqdnSwitchVerdict(allowFqdn, allowed.outcome === "http", denied.outcome === "error")];
}
