/**
 * `proxy.existingVpc`: the proxy tier goes into subnets of a VPC someone else owns. Config shape,
 * the preflight's verdicts on what the ids point at, and the program under mocks (nothing of the
 * network created; the tier placed in the given subnets).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { evaluate, stackConfig, type Evaluation } from "./support/program";
import { TYPES as T } from "../plan/resourceTypes";
import { RecordingMocks } from "../plan/mocks";
import { MOCK_EXISTING_VPC_CIDR, MOCK_EXISTING_VPC_ID } from "../engine/inventedValues";
import { ConfigError } from "../config/issues";
import type { ExistingVpcConfig } from "../config/existingVpc";
import {
  checkExistingVpc,
  EXISTING_VPC_PREFLIGHT,
  placementOf,
  type ExistingSubnet,
  type ExistingVpcFacts,
} from "../preflight/existingVpc";
import { readExistingVpcFacts } from "../preflight/existingVpcFacts";
import { preflight } from "../preflight/gate";
import { preflightMessage } from "../preflight/check";
import { edited, runPlanCli, type PlanRun } from "./support/planCli";

// Offline, a subnet id's last hex digit picks its AZ: …1 → us-east-1b, …0 → us-east-1a.
const EXISTING: ExistingVpcConfig = {
  vpcId: MOCK_EXISTING_VPC_ID,
  publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa0"],
  privateSubnetIds: ["subnet-0bbbbbbbbbbbbbbb0", "subnet-0bbbbbbbbbbbbbbb1"],
};
const KEY = "dbx-aoai-link:proxy.existingVpc";

/** The dev stack adopting EXISTING (its own vpcCidr and availabilityZones removed). */
function adoptingConfig(existing: unknown = EXISTING) {
  return stackConfig("dev", (raw) => {
    const proxy = raw["dbx-aoai-link:proxy"];
    delete proxy.vpcCidr;
    delete proxy.availabilityZones;
    proxy.existingVpc = existing;
  });
}

function configError(edit: (proxy: Record<string, unknown>) => void): string {
  try {
    stackConfig("dev", (raw) => edit(raw["dbx-aoai-link:proxy"]));
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
  return assert.fail("expected a ConfigError");
}

const subnet = (id: string, zone: string, over: Partial<ExistingSubnet> = {}): ExistingSubnet => ({
  id,
  vpcId: EXISTING.vpcId,
  availabilityZone: `us-east-1${zone}`,
  availabilityZoneId: `use1-az${zone === "a" ? 1 : 2}`,
  cidrBlock: `10.80.${id.endsWith("0") ? 0 : 1}${id.includes("bbb") ? 1 : 0}.0/24`,
  ...over,
});

/** A world where EXISTING is right: public subnets route to an internet gateway. */
function goodFacts(over: Partial<ExistingVpcFacts> = {}): ExistingVpcFacts {
  return {
    config: EXISTING,
    vpc: { cidrBlock: MOCK_EXISTING_VPC_CIDR, arn: "arn:aws:ec2:us-east-1:123456789012:vpc/x", enableDnsSupport: true },
    subnets: [
      subnet("subnet-0aaaaaaaaaaaaaaa1", "b"),
      subnet("subnet-0aaaaaaaaaaaaaaa0", "a"),
      subnet("subnet-0bbbbbbbbbbbbbbb0", "a"),
      subnet("subnet-0bbbbbbbbbbbbbbb1", "b"),
    ],
    publicDefaultRoutes: { "subnet-0aaaaaaaaaaaaaaa1": "igw-0123", "subnet-0aaaaaaaaaaaaaaa0": "igw-0123" },
    ...over,
  };
}

const messages = (facts: ExistingVpcFacts) =>
  checkExistingVpc(facts).map((p) => preflightMessage(EXISTING_VPC_PREFLIGHT.name, [p]));

describe("proxy.existingVpc", function () {
  this.timeout(60_000);

  describe("config", () => {
    it("replaces vpcCidr; the AZ count is the number of subnets per list", () => {
      const { proxy } = adoptingConfig();
      assert.deepStrictEqual(proxy.existingVpc, EXISTING);
      assert.strictEqual(proxy.vpcCidr, undefined);
      assert.strictEqual(proxy.availabilityZones, 2);
    });

    it("refuses vpcCidr and availabilityZones beside it, which would shape a VPC that is not created", () => {
      const message = configError((proxy) => (proxy.existingVpc = EXISTING));
      assert.match(
        message,
        /dbx-aoai-link:proxy\.vpcCidr = "10\.42\.0\.0\/16": shapes the VPC the program creates, and proxy\.existingVpc is set.*Fix: remove proxy\.vpcCidr/,
      );
    });

    it("names a malformed id, a single subnet and a subnet listed twice", () => {
      const message = configError((proxy) => {
        delete proxy.vpcCidr;
        proxy.existingVpc = {
          vpcId: "vpc-123",
          publicSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1"],
          privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb1"],
        };
      });
      assert.match(message, /proxy\.existingVpc\.vpcId = "vpc-123": is not a VPC id/);
      assert.match(
        message,
        /proxy\.existingVpc\.publicSubnetIds = \["subnet-0aaaaaaaaaaaaaaa1"\]: lists 1 subnet; .* at least 2 AZs/,
      );
      assert.doesNotMatch(message, /proxy\.vpcCidr/);
      const twice = configError((proxy) => {
        delete proxy.vpcCidr;
        proxy.existingVpc = { ...EXISTING, privateSubnetIds: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0bbbbbbbbbbbbbbb1"] };
      });
      assert.match(twice, /existingVpc\.privateSubnetIds = "subnet-0aaaaaaaaaaaaaaa1": is listed twice/);
    });

    it("still requires vpcCidr without it", () => {
      assert.match(
        configError((proxy) => delete proxy.vpcCidr),
        /dbx-aoai-link:proxy\.vpcCidr = \(not set\): is required/,
      );
    });
  });

  describe("preflight (pure)", () => {
    it("passes a VPC with one public (internet gateway) and one private subnet in each of two AZs", () => {
      assert.deepStrictEqual(checkExistingVpc(goodFacts()), []);
    });

    it("orders the placement by AZ, public and private pairwise", () => {
      const placement = placementOf(goodFacts());
      assert.deepStrictEqual(placement.publicSubnetIds, ["subnet-0aaaaaaaaaaaaaaa0", "subnet-0aaaaaaaaaaaaaaa1"]);
      assert.deepStrictEqual(placement.privateSubnetIds, ["subnet-0bbbbbbbbbbbbbbb0", "subnet-0bbbbbbbbbbbbbbb1"]);
      assert.deepStrictEqual(placement.zones, [
        { name: "us-east-1a", id: "use1-az1" },
        { name: "us-east-1b", id: "use1-az2" },
      ]);
    });

    it("stops on a VPC id that does not exist, and says nothing else", () => {
      const [only, ...rest] = messages(goodFacts({ vpc: undefined, subnets: [] }));
      assert.strictEqual(rest.length, 0);
      assert.match(
        only,
        new RegExp(
          `${KEY}\\.vpcId = "${MOCK_EXISTING_VPC_ID}": no VPC with this id exists .*Fix: copy the id of a VPC`,
        ),
      );
    });

    it("stops on a public subnet whose default route goes to a NAT gateway, or nowhere", () => {
      const found = messages(
        goodFacts({
          publicDefaultRoutes: { "subnet-0aaaaaaaaaaaaaaa1": "nat-0456", "subnet-0aaaaaaaaaaaaaaa0": undefined },
        }),
      );
      assert.strictEqual(found.length, 2);
      assert.match(
        found[0],
        /publicSubnetIds = "subnet-0aaaaaaaaaaaaaaa1": its route table sends 0\.0\.0\.0\/0 to nat-0456, not to an internet gateway.*Fix: list subnets whose route table sends 0\.0\.0\.0\/0 to the VPC's internet gateway/,
      );
      assert.match(found[1], /"subnet-0aaaaaaaaaaaaaaa0": its route table has no 0\.0\.0\.0\/0 route/);
    });

    it("stops on a subnet of another VPC and on an id that does not exist", () => {
      const facts = goodFacts();
      const found = messages({
        ...facts,
        subnets: [
          ...facts.subnets.filter((s) => s.id !== "subnet-0bbbbbbbbbbbbbbb1" && s.id !== "subnet-0aaaaaaaaaaaaaaa0"),
          subnet("subnet-0aaaaaaaaaaaaaaa0", "a", { vpcId: "vpc-0999" }),
        ],
      });
      assert.ok(
        found.some((m) => /publicSubnetIds = "subnet-0aaaaaaaaaaaaaaa0": is in vpc-0999, not in vpc-0e1f/.test(m)),
        found.join("\n"),
      );
      assert.ok(
        found.some((m) => /privateSubnetIds = "subnet-0bbbbbbbbbbbbbbb1": no subnet with this id exists/.test(m)),
        found.join("\n"),
      );
    });

    it("stops on two subnets of one list in the same AZ, which leaves a single AZ", () => {
      const facts = goodFacts();
      const found = messages({
        ...facts,
        subnets: facts.subnets.map((s) =>
          s.id === "subnet-0aaaaaaaaaaaaaaa0" ? { ...s, availabilityZone: "us-east-1b" } : s,
        ),
      });
      assert.match(
        found[0],
        /"subnet-0aaaaaaaaaaaaaaa0": is in us-east-1b, like subnet-0aaaaaaaaaaaaaaa1: one subnet per AZ/,
      );
      assert.match(
        found[1],
        /publicSubnetIds = .*: covers 1 availability zone \(us-east-1b\); the endpoint service needs at least 2/,
      );
    });

    it("stops when the private subnets are in other AZs than the public ones", () => {
      const facts = goodFacts();
      const [only] = messages({
        ...facts,
        subnets: facts.subnets.map((s) =>
          s.id === "subnet-0bbbbbbbbbbbbbbb1" ? { ...s, availabilityZone: "us-east-1c" } : s,
        ),
      });
      assert.match(
        only,
        /privateSubnetIds = .*: covers us-east-1a, us-east-1c while publicSubnetIds covers us-east-1a, us-east-1b: the NLB .* sends only to proxies .* in its own AZs/,
      );
    });

    it("stops on a subnet outside the VPC's primary CIDR and on a VPC without DNS resolution", () => {
      const facts = goodFacts();
      const found = messages({
        ...facts,
        vpc: { ...facts.vpc!, enableDnsSupport: false },
        subnets: facts.subnets.map((s) =>
          s.id === "subnet-0bbbbbbbbbbbbbbb0" ? { ...s, cidrBlock: "100.64.0.0/24" } : s,
        ),
      });
      assert.strictEqual(found.length, 2, found.join("\n"));
      assert.match(found[0], /vpcId = .*: has DNS resolution turned off.*--enable-dns-support/);
      assert.match(
        found[1],
        /"subnet-0bbbbbbbbbbbbbbb0": its CIDR 100\.64\.0\.0\/24 is outside the VPC's primary CIDR 10\.80\.0\.0\/16/,
      );
    });
  });

  describe("in the program (under mocks)", () => {
    let run: Evaluation;
    let dev: Evaluation;
    before(async () => {
      run = await evaluate(adoptingConfig());
      dev = await evaluate(stackConfig("dev"));
    });

    it("creates no VPC, subnet, gateway, route table, association or S3 endpoint", () => {
      for (const type of [T.vpc, T.subnet, T.internetGateway, T.routeTable, T.routeTableAssociation, T.vpcEndpoint])
        assert.strictEqual(run.all(type).length, 0, type);
      // The default stack does create them (the branch is the only difference).
      assert.strictEqual(dev.all(T.subnet).length, 4);
    });

    it("places the proxies in the public subnets and the NLB in the private ones, by AZ, inside the VPC", () => {
      assert.deepStrictEqual(run.one(T.asg).inputs.vpcZoneIdentifiers, [
        "subnet-0aaaaaaaaaaaaaaa0",
        "subnet-0aaaaaaaaaaaaaaa1",
      ]);
      assert.deepStrictEqual(run.one(T.nlb).inputs.subnets, ["subnet-0bbbbbbbbbbbbbbb0", "subnet-0bbbbbbbbbbbbbbb1"]);
      for (const sg of run.all(T.sg)) assert.strictEqual(sg.inputs.vpcId, MOCK_EXISTING_VPC_ID, sg.name);
      assert.strictEqual(run.one(T.targetGroup).inputs.vpcId, MOCK_EXISTING_VPC_ID);
      const metrics = run.all(T.ingress).find((r) => r.name.endsWith("proxy-in-metrics"))!;
      assert.strictEqual(metrics.inputs.cidrIpv4, MOCK_EXISTING_VPC_CIDR);
      const userData = Buffer.from(String(run.one(T.launchTemplate).inputs.userData), "base64").toString("utf8");
      assert.match(userData, new RegExp(`acl metrics_client src ${MOCK_EXISTING_VPC_CIDR.replace(/\./g, "\\.")} `));
    });

    it("keeps a flow log of each configured public subnet, keyed by zone index, into the stack's flow-log group", () => {
      const flows = run.all(T.flowLog).sort((a, b) => a.name.localeCompare(b.name));
      assert.deepStrictEqual(
        flows.map((f) => [f.name, f.inputs.subnetId]),
        [
          // Zone order (us-east-1a, us-east-1b), not the order the config lists them in.
          ["proxy-logs-flows-0", "subnet-0aaaaaaaaaaaaaaa0"],
          ["proxy-logs-flows-1", "subnet-0aaaaaaaaaaaaaaa1"],
        ],
      );
      const group = run.all(T.logGroup).find((g) => g.inputs.name === "/dbx-aoai-link/dev/proxy-flow-logs")!;
      const role = run.one(T.role, "proxy-logs-flows-role");
      for (const flow of flows) {
        assert.strictEqual(flow.inputs.logDestination, group.outputs.arn);
        assert.strictEqual(flow.inputs.iamRoleArn, role.outputs.arn);
        assert.strictEqual(flow.inputs.trafficType, "ALL");
      }
      // The private (NLB) subnets are the owner's to log, as in a created VPC.
      assert.ok(!flows.some((f) => EXISTING.privateSubnetIds.includes(f.inputs.subnetId)));
    });

    it("reads the VPC, the subnets and the public subnets' route tables through invokes (so at preview)", () => {
      const tokens = run.invokes.map((i) => i.token);
      for (const read of EXISTING_VPC_PREFLIGHT.reads) assert.ok(tokens.includes(read.invoke), read.invoke);
      const routeTables = run.invokes.filter((i) => i.token === "aws:ec2/getRouteTables:getRouteTables");
      assert.deepStrictEqual(
        routeTables.map((i) => JSON.stringify(i.inputs.filters)).sort(),
        EXISTING.publicSubnetIds.map((id) => JSON.stringify([{ name: "association.subnet-id", values: [id] }])).sort(),
      );
      // The default stack reads none of it.
      assert.ok(!dev.invokes.some((i) => i.token.startsWith("aws:ec2/getSubnet")));
    });

    it("ends the run with the preflight's message when a public subnet has no route to an internet gateway", async () => {
      class NatWorld extends RecordingMocks {
        invoke(args: { token: string; inputs: Record<string, any> }): Record<string, unknown> {
          const answer = super.invoke(args);
          if (args.token !== "aws:ec2/getRouteTable:getRouteTable") return answer;
          return { ...answer, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: "nat-0abc" }] };
        }
      }
      const mocks = new NatWorld({ awsRegion: "us-east-1" });
      await mocks.install("dbx-aoai-link", "dev");
      const gate = preflight(EXISTING_VPC_PREFLIGHT.name, readExistingVpcFacts(EXISTING), checkExistingVpc);
      const error = await (gate as unknown as { promise(): Promise<unknown> }).promise().then(
        () => assert.fail("expected the preflight to fail"),
        (e: unknown) => e,
      );
      assert.ok(pulumi.RunError.isInstance(error));
      assert.match(
        (error as Error).message,
        /^Preflight "existing VPC" failed: 2 problems\n {2}- dbx-aoai-link:proxy\.existingVpc\.publicSubnetIds = "subnet-0aaaaaaaaaaaaaaa1": its route table sends 0\.0\.0\.0\/0 to nat-0abc/,
      );
    });
  });

  describe("npm run plan (the offline engine, as a user runs it)", () => {
    let plan: PlanRun;
    before(() => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "existing-vpc-"));
      const file = path.join(dir, "Pulumi.dev.yaml");
      fs.writeFileSync(
        file,
        edited([
          [
            "    vpcCidr: 10.42.0.0/16\n    availabilityZones: 2\n",
            `    existingVpc:\n      vpcId: ${EXISTING.vpcId}\n` +
              `      publicSubnetIds: [${EXISTING.publicSubnetIds.join(", ")}]\n` +
              `      privateSubnetIds: [${EXISTING.privateSubnetIds.join(", ")}]\n`,
          ],
        ]),
      );
      try {
        plan = runPlanCli(["--stack", "dev", "--config-file", file]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("plans a flow log of each existing public subnet and no subnet of its own", () => {
      assert.strictEqual(plan.status, 0, plan.stderr);
      const of = (type: string) => plan.json!.resources.filter((r) => r.type === type);
      assert.strictEqual(of(T.subnet).length, 0);
      assert.deepStrictEqual(
        of(T.flowLog).map((f) => [f.name, f.inputs.subnetId]),
        [
          ["proxy-logs-flows-0", "subnet-0aaaaaaaaaaaaaaa0"],
          ["proxy-logs-flows-1", "subnet-0aaaaaaaaaaaaaaa1"],
        ],
      );
    });
  });
});
