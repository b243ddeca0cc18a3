import * as assert from "assert";
import { evaluate, type Evaluation, stackConfig, valueOf } from "./support/program";
import { parseCidr, cidrContains, cidrsOverlap } from "../net/ipv4";
import {
  HEALTH_CHECK_PATH,
  LIFECYCLE_HEARTBEAT_SECONDS,
  PROXY_PORTS,
  PROXY_WARMUP_SECONDS,
  STREAM_IDLE_TIMEOUT_SECONDS,
  WATCHDOG_FAILURES_BEFORE_UNHEALTHY,
  WATCHDOG_INTERVAL_SECONDS,
} from "../aws/constants";
import { extractHaproxyConfig } from "../aws/userData";
import { architectureOf } from "../aws/ami";
import { haproxyCheck, haproxyVersion } from "../bench/proxy/haproxy";
import { TYPES as T } from "../plan/resourceTypes";
import { diffPlans, type PlanDocument, upgradeGate } from "../plan/diff";

type Json = Record<string, any>;

describe("AWS proxy tier (dev stack, under mocks)", function () {
  let dev: Evaluation;
  before(async () => {
    dev = await evaluate(stackConfig("dev"));
  });

  describe("network", () => {
    it("spans two AZs with a public and a private subnet each, inside the VPC and disjoint", () => {
      const vpc = dev.one(T.vpc);
      assert.strictEqual(vpc.inputs.cidrBlock, "10.42.0.0/16");
      const subnets = dev.all(T.subnet);
      assert.strictEqual(subnets.length, 4);
      const cidrs = subnets.map((s) => parseCidr(String(s.inputs.cidrBlock))!);
      cidrs.forEach((c) => assert.ok(cidrContains(parseCidr("10.42.0.0/16")!, c)));
      cidrs.forEach((a, i) => cidrs.slice(i + 1).forEach((b) => assert.ok(!cidrsOverlap(a, b))));
      const publicZones = subnets.filter((s) => s.name.includes("public")).map((s) => s.inputs.availabilityZone);
      assert.deepStrictEqual(publicZones, ["us-east-1a", "us-east-1b"]);
    });

    it("never auto-assigns public IPs in any subnet", () => {
      for (const subnet of dev.all(T.subnet)) assert.strictEqual(subnet.inputs.mapPublicIpOnLaunch, false, subnet.name);
    });

    it("routes only the public subnets to the internet gateway; private ones have no route out", () => {
      const publicRoutes = dev.one(T.routeTable, "proxy-net-public-rt");
      assert.deepStrictEqual(
        (publicRoutes.inputs.routes as Json[]).map((r) => r.cidrBlock),
        ["0.0.0.0/0"],
      );
      assert.match(String((publicRoutes.inputs.routes as Json[])[0].gatewayId), /^igw-/);
      assert.ok(!dev.one(T.routeTable, "proxy-net-private-rt").inputs.routes);
      assert.strictEqual(dev.all("aws:ec2/natGateway:NatGateway").length, 0);
    });

    it("lets proxies reach the S3-hosted package repositories before their EIP arrives (gateway endpoint)", () => {
      const s3 = dev.one(T.vpcEndpoint);
      assert.strictEqual(s3.inputs.serviceName, "com.amazonaws.us-east-1.s3");
      assert.strictEqual(s3.inputs.vpcEndpointType, "Gateway");
      assert.deepStrictEqual(s3.inputs.routeTableIds, [dev.one(T.routeTable, "proxy-net-public-rt").outputs.id]);
    });
  });

  describe("launch template", () => {
    let lt: Json;
    before(() => {
      lt = dev.one(T.launchTemplate).inputs;
    });

    it("boots the current Amazon Linux 2023 image for the instance's architecture", async () => {
      assert.strictEqual(
        lt.imageId,
        "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
      );
      const graviton = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:proxy"].instanceType = "t4g.small";
        }),
      );
      assert.match(String(graviton.one(T.launchTemplate).inputs.imageId), /al2023-ami-kernel-default-arm64$/);
      for (const arm of ["a1.large", "c7gn.xlarge", "m8g.large"]) assert.strictEqual(architectureOf(arm), "arm64", arm);
      for (const x86 of ["t3.small", "c7i.large", "m7a.large", "g5.xlarge"])
        assert.strictEqual(architectureOf(x86), "x86_64", x86);
    });

    it("requires IMDSv2 with a hop limit of 1", () => {
      assert.deepStrictEqual(lt.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: "disabled",
      });
    });

    it("has an instance profile and no key pair", () => {
      assert.match(String(lt.iamInstanceProfile.arn), /^arn:aws:iam::\d{12}:instance-profile\//);
      assert.strictEqual(lt.keyName, undefined);
    });

    it("never asks for a public IP on the proxy's interface", () => {
      assert.strictEqual(lt.networkInterfaces.length, 1);
      assert.strictEqual(lt.networkInterfaces[0].associatePublicIpAddress, "false");
      assert.deepStrictEqual(lt.networkInterfaces[0].securityGroups, [dev.one(T.sg, "proxy-proxy-sg").outputs.id]);
    });

    it("encrypts the root volume", () => {
      assert.strictEqual(lt.blockDeviceMappings[0].ebs.encrypted, "true");
    });

    it("renders user data that installs HAProxy and forwards to the Azure OpenAI FQDN", async () => {
      const script = Buffer.from(String(lt.userData), "base64").toString("utf8");
      assert.match(script, /dnf[^\n]*install[^\n]*haproxy/);
      const config = extractHaproxyConfig(script);
      assert.ok(config.includes(await valueOf(dev.outputs.azureOpenAiFqdn)), "the FQDN is in the HAProxy config");
    });

    it("carries a HAProxy config that the real haproxy accepts", function () {
      if (!haproxyVersion()) {
        if (process.env.CI) assert.fail("haproxy is not installed (.ci/run installs it)");
        this.skip();
      }
      const script = Buffer.from(String(lt.userData), "base64").toString("utf8");
      const result = haproxyCheck(extractHaproxyConfig(script));
      assert.ok(result.ok, result.output);
    });
  });

  it("gives the instance role SSM core, SetInstanceHealth on its own group only (the watchdog), and its log group (proxy-logs.spec.ts)", () => {
    const attachments = dev.all(T.attachment).filter((a) => a.name.startsWith("proxy-"));
    assert.deepStrictEqual(
      attachments.map((a) => a.inputs.policyArn),
      ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
    );
    const role = dev.one(T.role, "proxy-instance-role").outputs.name;
    const inline = dev.all(T.rolePolicy).filter((p) => p.inputs.role === role);
    assert.deepStrictEqual(inline.map((p) => p.name).sort(), ["proxy-instance-logs", "proxy-instance-watchdog"]);
    assert.deepStrictEqual(
      JSON.parse(String(dev.one(T.rolePolicy, "proxy-instance-watchdog").inputs.policy)).Statement.map((s: Json) => [
        s.Action,
        s.Resource,
      ]),
      [
        [
          ["autoscaling:SetInstanceHealth"],
          "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/dbx-aoai-link-dev-proxies",
        ],
      ],
    );
  });

  it("installs the watchdog before the bootstrap, so a failed bootstrap is replaced too", () => {
    const script = Buffer.from(String(dev.one(T.launchTemplate).inputs.userData), "base64").toString("utf8");
    const watchdogAt = script.indexOf("systemctl enable --now dbx-aoai-link-watchdog.service");
    assert.ok(watchdogAt > 0 && watchdogAt < script.indexOf("install_haproxy\n"));
  });

  describe("security groups", () => {
    it("admit TLS and health checks from the NLB only, metrics from the VPC only", () => {
      const nlbSg = dev.one(T.sg, "proxy-nlb-sg").outputs.id;
      const proxySg = dev.one(T.sg, "proxy-proxy-sg").outputs.id;
      const ingress = dev.all(T.ingress).map((r) => r.inputs);
      const byPort = (port: number) => ingress.filter((r) => r.fromPort === port);
      for (const port of [PROXY_PORTS.tls, PROXY_PORTS.health]) {
        assert.deepStrictEqual(
          byPort(port).map((r) => [r.securityGroupId, r.referencedSecurityGroupId]),
          [[proxySg, nlbSg]],
        );
      }
      assert.deepStrictEqual(
        byPort(PROXY_PORTS.metrics).map((r) => r.cidrIpv4),
        ["10.42.0.0/16"],
      );
      assert.strictEqual(ingress.length, 3);
    });

    it("allow no ingress from 0.0.0.0/0 and none at all to the NLB", () => {
      const nlbSg = dev.one(T.sg, "proxy-nlb-sg").outputs.id;
      for (const rule of dev.all(T.ingress)) {
        assert.notStrictEqual(rule.inputs.cidrIpv4, "0.0.0.0/0");
        assert.notStrictEqual(rule.inputs.securityGroupId, nlbSg);
      }
      for (const sg of dev.all(T.sg)) assert.ok(!sg.inputs.ingress, `${sg.name} has no inline rules`);
    });
  });

  describe("Auto Scaling group", () => {
    let asg: Json;
    before(() => {
      asg = dev.one(T.asg).inputs;
    });

    it("runs the configured sizes over the public subnets behind the target group", () => {
      assert.deepStrictEqual([asg.minSize, asg.desiredCapacity, asg.maxSize], [2, 2, 4]);
      const publicSubnets = dev
        .all(T.subnet)
        .filter((s) => s.name.includes("public"))
        .map((s) => s.outputs.id);
      assert.deepStrictEqual(asg.vpcZoneIdentifiers, publicSubnets);
      assert.deepStrictEqual(asg.targetGroupArns, [dev.one(T.targetGroup).outputs.arn]);
    });

    it("replaces proxies on EC2 health (and the watchdog's verdict), not on the Azure-aware target health", () => {
      assert.strictEqual(asg.healthCheckType, "EC2");
      assert.ok(asg.healthCheckGracePeriod >= 120);
    });

    it("makes `up` wait for minSize healthy targets, for two launch-abandon-relaunch cycles", () => {
      assert.strictEqual(asg.minElbCapacity, 2);
      assert.strictEqual(asg.waitForCapacityTimeout, `${2 * (LIFECYCLE_HEARTBEAT_SECONDS + PROXY_WARMUP_SECONDS)}s`);
    });

    it("keeps waiting for capacity through a failed launch (one zone out of capacity), bounded by the timeout; in place on existing groups", () => {
      // Without it the provider ends the wait at the first Failed scaling activity, although the group retries.
      assert.strictEqual(asg.ignoreFailedScalingActivities, true);
      const group = dev.one(T.asg);
      const { ignoreFailedScalingActivities: _, ...before } = group.inputs;
      const doc = (inputs: Json): PlanDocument => ({
        stack: "dev",
        resources: [{ urn: group.urn, type: group.type, name: group.name, inputs }],
        outputs: {},
      });
      const diff = diffPlans(doc(before), doc(group.inputs));
      assert.deepStrictEqual([diff.updated.map((r) => r.name), diff.replaced.map((r) => r.name)], [["proxy-asg"], []]);
      assert.strictEqual(upgradeGate(diff).ok, true);
    });

    it("replaces proxies at 21 days by default, launching first within the pool's spare addresses", () => {
      assert.strictEqual(asg.maxInstanceLifetime, 21 * 86_400);
      assert.deepStrictEqual(asg.instanceMaintenancePolicy, { minHealthyPercentage: 100, maxHealthyPercentage: 125 });
    });

    it("creates the launch hook with the group (exactly as existing groups were created): ABANDON, minutes of heartbeat", () => {
      assert.deepStrictEqual(asg.initialLifecycleHooks, [
        {
          name: "assign-pool-eip",
          lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
          defaultResult: "ABANDON",
          heartbeatTimeout: 600,
        },
      ]);
    });

    it("manages the same hook after creation as a standalone hook of this group, with the configured heartbeat", async () => {
      const hook = dev.one(T.lifecycleHook);
      assert.match(String(hook.parent), /dbx-aoai-link:aws:ProxyTier::proxy$/);
      assert.deepStrictEqual(hook.inputs, {
        autoscalingGroupName: asg.name,
        name: "assign-pool-eip",
        lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
        defaultResult: "ABANDON",
        heartbeatTimeout: LIFECYCLE_HEARTBEAT_SECONDS,
      });
      const tuned = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:proxy"].launchHookHeartbeatSeconds = 900;
        }),
      );
      assert.strictEqual(tuned.one(T.lifecycleHook).inputs.heartbeatTimeout, 900);
      // The group's initial hook stays as created; the capacity wait follows the heartbeat.
      assert.deepStrictEqual(tuned.one(T.asg).inputs.initialLifecycleHooks, asg.initialLifecycleHooks);
      assert.strictEqual(tuned.one(T.asg).inputs.waitForCapacityTimeout, `${2 * (900 + PROXY_WARMUP_SECONDS)}s`);
    });

    it("follows the launch template's latest version and refreshes without needing more than the pool", () => {
      assert.strictEqual(asg.launchTemplate.version, "1");
      assert.strictEqual(asg.launchTemplate.id, dev.one(T.launchTemplate).outputs.id);
      const prefs = asg.instanceRefresh.preferences;
      assert.strictEqual(asg.instanceRefresh.strategy, "Rolling");
      assert.strictEqual(prefs.minHealthyPercentage, 100);
      assert.ok(Math.ceil((asg.maxSize * prefs.maxHealthyPercentage) / 100) <= dev.config.proxy.eipPoolSize);
    });

    it("counts a refreshed proxy ready only after the grace period and the watchdog's verdict time", () => {
      // A proxy with a local fault from boot is marked unhealthy once the grace ends plus the watchdog's
      // checks; a shorter warm-up lets the refresh terminate an old proxy for a new one about to go.
      const warmup = Number(asg.instanceRefresh.preferences.instanceWarmup);
      const verdict = asg.healthCheckGracePeriod + WATCHDOG_INTERVAL_SECONDS * WATCHDOG_FAILURES_BEFORE_UNHEALTHY;
      assert.ok(warmup > verdict, `warm-up ${warmup} s, verdict at ${verdict} s`);
    });

    it("does not ask for auto rollback, which AWS refuses for images resolved from SSM parameters", () => {
      assert.match(String(dev.one(T.launchTemplate).inputs.imageId), /^resolve:ssm:/);
      assert.notStrictEqual(asg.instanceRefresh.preferences.autoRollback, true);
    });

    it("launches only once the network is complete (routes, internet gateway, S3 endpoint)", () => {
      const dependsOn = dev.one(T.asg).dependsOn;
      for (const [type, name] of [
        [T.vpcEndpoint, "proxy-net-s3"],
        [T.routeTableAssociation, "proxy-net-public-0"],
        [T.routeTable, "proxy-net-public-rt"],
      ]) {
        assert.ok(
          dependsOn.some((d) => d.endsWith(`::${name}`) && d.includes(type)),
          `the group waits for ${name}`,
        );
      }
    });

    it("has the fixed name the EIP assigner's rule and IAM conditions rely on, and tags its instances", () => {
      assert.strictEqual(asg.name, "dbx-aoai-link-dev-proxies");
      assert.ok((asg.tags as Json[]).every((t) => t.propagateAtLaunch === true));
      assert.ok((asg.tags as Json[]).some((t) => t.key === "stack" && t.value === "dev"));
    });
  });

  describe("NLB", () => {
    it("is internal, cross-zone, in the private subnets, and lets PrivateLink traffic through its security group", () => {
      const nlb = dev.one(T.nlb).inputs;
      assert.strictEqual(nlb.loadBalancerType, "network");
      assert.strictEqual(nlb.internal, true);
      assert.strictEqual(nlb.enableCrossZoneLoadBalancing, true);
      assert.strictEqual(nlb.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic, "off");
      const privateSubnets = dev
        .all(T.subnet)
        .filter((s) => s.name.includes("private"))
        .map((s) => s.outputs.id);
      assert.deepStrictEqual(nlb.subnets, privateSubnets);
    });

    it("takes deletion protection from config, on by default", async () => {
      assert.strictEqual(dev.one(T.nlb).inputs.enableDeletionProtection, false);
      const protectedStack = await evaluate(
        stackConfig("dev", (raw) => {
          delete raw["dbx-aoai-link:proxy"].nlbDeletionProtection;
        }),
      );
      assert.strictEqual(protectedStack.one(T.nlb).inputs.enableDeletionProtection, true);
    });

    it("listens on TCP 443 with an idle timeout as long as HAProxy's tunnel timeout", () => {
      const listener = dev.one(T.listener).inputs;
      assert.deepStrictEqual([listener.port, listener.protocol], [443, "TCP"]);
      assert.strictEqual(listener.tcpIdleTimeoutSeconds, STREAM_IDLE_TIMEOUT_SECONDS);
      assert.deepStrictEqual(listener.defaultActions, [
        { type: "forward", targetGroupArn: dev.one(T.targetGroup).outputs.arn },
      ]);
    });

    it("checks HAProxy's health port over HTTP, so a proxy that cannot reach Azure leaves rotation", () => {
      const tg = dev.one(T.targetGroup).inputs;
      assert.deepStrictEqual([tg.port, tg.protocol, tg.targetType], [443, "TCP", "instance"]);
      assert.strictEqual(tg.healthCheck.protocol, "HTTP");
      assert.strictEqual(tg.healthCheck.port, String(PROXY_PORTS.health));
      assert.strictEqual(tg.healthCheck.path, HEALTH_CHECK_PATH);
      assert.strictEqual(tg.healthCheck.matcher, "200");
    });
  });

  describe("endpoint service", () => {
    it("requires acceptance, fronts the NLB and allows only the region's Databricks serverless role", () => {
      const svc = dev.one(T.endpointService).inputs;
      assert.strictEqual(svc.acceptanceRequired, true);
      assert.deepStrictEqual(svc.networkLoadBalancerArns, [dev.one(T.nlb).outputs.arn]);
      assert.deepStrictEqual(svc.allowedPrincipals, [
        "arn:aws:iam::565502421330:role/private-connectivity-role-us-east-1",
      ]);
    });

    const principalOf = async (region: string, shard?: string) => {
      const e = await evaluate(
        stackConfig("dev", (raw) => {
          raw["aws:region"] = region;
          if (shard) raw["dbx-aoai-link:databricks"].shard = shard;
        }),
      );
      return e.one(T.endpointService).inputs.allowedPrincipals;
    };

    it("allows the eu-west-1 role in eu-west-1", async () => {
      assert.deepStrictEqual(await principalOf("eu-west-1"), [
        "arn:aws:iam::565502421330:role/private-connectivity-role-eu-west-1",
      ]);
    });

    it("allows the GovCloud roles in us-gov-west-1 (civilian by default, DoD on request)", async () => {
      assert.deepStrictEqual(await principalOf("us-gov-west-1"), [
        "arn:aws-us-gov:iam::347038500609:role/private-connectivity-role-us-gov-west-1",
      ]);
      assert.deepStrictEqual(await principalOf("us-gov-west-1", "govcloud-dod"), [
        "arn:aws-us-gov:iam::347034940029:role/private-connectivity-role-us-gov-west-1",
      ]);
    });
  });

  describe("egress addresses", () => {
    it("gives proxies no public address outside the pool: no other EIP, NAT gateway or instance", () => {
      assert.strictEqual(dev.all(T.eip).length, dev.config.proxy.eipPoolSize);
      for (const type of [
        "aws:ec2/natGateway:NatGateway",
        "aws:ec2/instance:Instance",
        "aws:ec2/eipAssociation:EipAssociation",
      ]) {
        assert.strictEqual(dev.all(type).length, 0, type);
      }
    });

    it("keeps the Azure firewall equal to the pool", async () => {
      const rules = (dev.one(T.account).inputs.properties as Json).networkAcls.ipRules.map((r: Json) => r.value);
      assert.deepStrictEqual(rules, await valueOf(dev.outputs.egressIps));
    });
  });
});
