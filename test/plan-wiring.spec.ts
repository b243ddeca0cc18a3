/**
 * The wiring line of the Azure firewall lists what it allows besides the pool (the issue: adding
 * `extraAllowedIps` opened the firewall while the wiring still listed only the pool). Pure.
 */
import * as assert from "assert";
import { traceWiring } from "../plan/wiring";
import type { RecordedResource } from "../plan/mocks";
import { TYPES as T } from "../plan/resourceTypes";

const resource = (type: string, name: string, inputs: object, outputs: object): RecordedResource => ({
  urn: `urn:pulumi:dev::dbx-aoai-link::${type}::${name}`,
  type,
  name,
  custom: true,
  parent: undefined,
  provider: undefined,
  dependsOn: [],
  protect: false,
  inputs: inputs as Record<string, unknown>,
  outputs: outputs as Record<string, unknown>,
});

function firewall(ipRules: string[], operatorIps: string[]) {
  const resources = [
    resource(T.eip, "egress-eip-0", {}, { publicIp: "203.0.113.10" }),
    resource(
      T.account,
      "aoai-account",
      { properties: { networkAcls: { ipRules: ipRules.map((value) => ({ value })) } } },
      { properties: { endpoint: "https://contoso-aoai-dev.openai.azure.com/" } },
    ),
  ];
  return traceWiring(resources, "us-east-1", () => false, operatorIps).filter(
    (l) => l.to === "Azure account networkAcls.ipRules",
  );
}

describe("plan wiring: the Azure firewall", () => {
  it("lists the pool alone when nothing else is allowed", () => {
    assert.deepStrictEqual(
      firewall(["203.0.113.10"], []).map((l) => [l.from, l.value, l.ok]),
      [["AWS EIP pool (1 public IPs)", ["203.0.113.10"], true]],
    );
  });

  it("adds a line with the operator addresses the firewall also allows", () => {
    const links = firewall(["198.51.100.7", "203.0.113.10"], ["198.51.100.7"]);
    assert.deepStrictEqual(links[1], {
      from: "operator addresses (azure.extraAllowedIps, 1)",
      to: "Azure account networkAcls.ipRules",
      value: ["198.51.100.7"],
      ok: true,
    });
  });

  it("fails the line for an allowed address that is neither pool nor configured, or a configured one missing", () => {
    assert.strictEqual(firewall(["192.0.2.1", "203.0.113.10"], [])[1].ok, false);
    assert.strictEqual(firewall(["203.0.113.10"], ["198.51.100.7"])[1].ok, false);
  });
});
