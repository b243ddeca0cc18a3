import { strict as assert } from "node:assert";
import {
  FQDN_ALLOW_DECISION,
  bypassAdvice,
  fqdnSwitchVerdict,
  frontingProbe,
  judgeFronting,
} from "../verify/securityProbes";
import { judgeProbe } from "../verify/jobProbe";

const FQDN = "contoso-aoai-dev.openai.azure.com";
const probe = frontingProbe(FQDN, "abc123");
const answered = (status: number) => ({ name: "fronting", host: FQDN, outcome: "http" as const, status, ms: 5 });

describe("security probes (pure)", () => {
  it("fronting connects with our FQDN as SNI and names another, random account in the Host header", () => {
    assert.equal(probe.kind, "fronting");
    assert.equal(probe.host, FQDN);
    assert.equal(probe.hostHeader, "dbx-aoai-verify-abc123.openai.azure.com");
  });

  it("judges 421 and 404 as refused, and any other answer as fronting that works", () => {
    assert.equal(judgeFronting(probe, answered(421)).status, "pass");
    assert.equal(judgeFronting(probe, answered(404)).status, "pass");
    for (const status of [200, 401, 403, 400])
      assert.equal(judgeFronting(probe, answered(status)).status, "fail", String(status));
    assert.equal(judgeFronting(probe, { ...answered(0), outcome: "error", error: "timeout" }).status, "fail");
    assert.equal(judgeFronting(probe, undefined).status, "fail");
  });

  it("is routed to by the job's generic verdict", () => {
    assert.deepEqual(judgeProbe(probe, answered(421), false), judgeFronting(probe, answered(421)));
  });

  it("tells which FQDN setting is safe from the allowed and denied probes", () => {
    assert.equal(fqdnSwitchVerdict(true, true, true).status, "pass");
    assert.equal(fqdnSwitchVerdict(false, true, true).status, "pass");
    assert.match(fqdnSwitchVerdict(true, true, false).details.join(" "), /allowAzureOpenAiFqdn: false/);
    assert.match(fqdnSwitchVerdict(false, false, true).title, /breaks the path/);
    assert.equal(fqdnSwitchVerdict(true, false, true).status, "skip");
    assert.doesNotMatch(bypassAdvice(false).join(" "), /allowAzureOpenAiFqdn: false/);
  });

  it("keeps the program's behaviour as the default, marked pending", () => {
    assert.equal(FQDN_ALLOW_DECISION.default, true);
    assert.match(FQDN_ALLOW_DECISION.status, /^pending/);
  });
});
