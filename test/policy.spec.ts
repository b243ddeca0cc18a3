/**
 * The policy pack (policy/): every policy over the resources the offline plan registers for
 * Pulumi.dev.yaml and Pulumi.prod.yaml (all pass, and each policy applies to something), one
 * mutation per invariant (each caught, with a message naming the resource and the fix), and the
 * pack itself started the way the Pulumi CLI starts it, answering the analyzer's gRPC calls.
 */
import * as assert from "assert";
import { type ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { createRequire } from "module";
import * as yaml from "js-yaml";
import type { ResourceValidation, ResourceValidationArgs } from "@pulumi/policy";
import { type MandatoryPolicy } from "../policy/lib";
import { POLICY_PACK_NAME, policies } from "../policy/policies";

const ROOT = path.resolve(__dirname, "..");
const POLICY_DIR = path.join(ROOT, "policy");
const STACKS = ["dev", "prod"] as const;
type Stack = (typeof STACKS)[number];

/** A resource as the offline plan registers it, plus its `protect` option (not in the plan JSON). */
interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly parent?: string;
  readonly inputs: Record<string, any>;
  readonly protect: boolean;
}

// ---------------------------------------------------------------------------------------------
// The offline plan, in a child process per stack (the Pulumi runtime is global to a process).

/** `runOfflinePlan`'s resources with the `protect` flag its `recorded` list carries. */
const PLAN_SCRIPT = `
const fs = require("fs");
require("./plan/run").runOfflinePlan({ stack: process.env.POLICY_SPEC_STACK }).then(plan => {
  const resources = plan.resources.map((r, i) => {
    const recorded = plan.recorded[i];
    if (recorded.type !== r.type || recorded.name !== r.name) throw new Error("plan.resources and plan.recorded differ at " + i);
    return { ...r, protect: recorded.protect };
  });
  fs.writeFileSync(process.env.POLICY_SPEC_OUT, JSON.stringify(resources));
}).catch(e => { console.error(e); process.exit(1); });`;

function planResources(stack: Stack): Promise<PlanResource[]> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "policy-plan-")), `${stack}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-r", "ts-node/register", "-e", PLAN_SCRIPT], {
      cwd: ROOT,
      env: { ...process.env, POLICY_SPEC_STACK: stack, POLICY_SPEC_OUT: out },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr!.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      try {
        if (code !== 0) throw new Error(`offline plan for ${stack} exited ${code}:\n${stderr}`);
        resolve(JSON.parse(fs.readFileSync(out, "utf8")) as PlanResource[]);
      } catch (e) {
        reject(e);
      } finally {
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// A harness that calls a policy the way @pulumi/policy's analyzer server does.

class NotApplicable extends Error {}
// The SDK exports it at run time; its .d.ts does not declare it.
const { unknownCheckingProxy } = require("@pulumi/policy") as { unknownCheckingProxy<T extends object>(o: T): T };

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: string; isInstance?(o: unknown): boolean };
  return cls.__pulumiType ? cls.__pulumiType === type : cls.isInstance?.({ __pulumiType: type }) === true;
}

interface Verdict {
  /** False when every validation declared itself not applicable to the resource's type. */
  readonly applicable: boolean;
  readonly violations: string[];
}

async function runPolicy(policy: MandatoryPolicy, resource: PlanResource): Promise<Verdict> {
  const validations: ResourceValidation[] = Array.isArray(policy.validateResource)
    ? policy.validateResource
    : [policy.validateResource!];
  const fastType = (validations[0] as { __pulumiType?: string }).__pulumiType;
  if (validations.length === 1 && fastType && fastType !== resource.type) return { applicable: false, violations: [] };
  const violations: string[] = [];
  let applicable = false;
  for (const validation of validations) {
    const props = unknownCheckingProxy(JSON.parse(JSON.stringify(resource.inputs)) as Record<string, any>);
    const args: ResourceValidationArgs = {
      type: resource.type,
      name: resource.name,
      urn: resource.urn,
      props,
      opts: {
        protect: resource.protect,
        ignoreChanges: [],
        aliases: [],
        additionalSecretOutputs: [],
        parent: resource.parent,
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      },
      stackTags: new Map(),
      isType: (cls) => isTypeOf(resource.type, cls),
      asType: ((cls) => (isTypeOf(resource.type, cls) ? props : undefined)) as ResourceValidationArgs["asType"],
      getConfig: <T extends object>() => ({}) as T,
      notApplicable: (reason?: string) => {
        throw new NotApplicable(reason);
      },
    };
    try {
      await validation(args, (message) => {
        violations.push(message);
      });
      applicable = true;
    } catch (e) {
      if (!(e instanceof NotApplicable)) throw e;
    }
  }
  return { applicable, violations };
}

/** Every violation any policy reports for a resource, as `policy-name: message`. */
async function allViolations(resource: PlanResource): Promise<string[]> {
  const found: string[] = [];
  for (const policy of policies)
    found.push(...(await runPolicy(policy, resource)).violations.map((m) => `${policy.name}: ${m}`));
  return found;
}

function policyNamed(name: string): MandatoryPolicy {
  const policy = policies.find((p) => p.name === name);
  if (!policy) throw new Error(`no policy ${name}`);
  return policy;
}

// ---------------------------------------------------------------------------------------------
// The pack started as `pulumi preview --policy-pack policy` starts it.

// The analyzer's gRPC stubs, from the same packages the pack server itself loads.
const fromPolicy = createRequire(require.resolve("@pulumi/policy"));
const grpc = fromPolicy("@grpc/grpc-js");
const analyzerPb = fromPolicy("@pulumi/pulumi/proto/analyzer_pb");
const { AnalyzerClient } = fromPolicy("@pulumi/pulumi/proto/analyzer_grpc_pb");
const { Struct } = fromPolicy("google-protobuf/google/protobuf/struct_pb");
const { Empty } = fromPolicy("google-protobuf/google/protobuf/empty_pb");
const MANDATORY = 1; // pulumirpc.EnforcementLevel.MANDATORY

interface RunningPack {
  readonly child: ChildProcess;
  readonly client: any;
}

/**
 * What the CLI's `pulumi-analyzer-policy` shim does: in the pack's folder, resolve
 * @pulumi/pulumi/cmd/run-policy-pack (upwards, so from the root node_modules) and run it with the
 * engine address and ".". It registers ts-node with type checking, loads index.ts, and prints the
 * gRPC port.
 */
function startPack(): Promise<RunningPack> {
  const runner = createRequire(path.join(POLICY_DIR, "index.ts")).resolve("@pulumi/pulumi/cmd/run-policy-pack");
  const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
    cwd: POLICY_DIR,
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stderr = "";
    child.stderr!.on("data", (d) => {
      stderr += d;
    });
    child.on("exit", (code) => reject(new Error(`policy pack exited ${code} before serving:\n${stderr}`)));
    child.stdout!.once("data", (data) => {
      const port = String(data).trim();
      if (!/^\d+$/.test(port))
        return reject(new Error(`policy pack printed ${JSON.stringify(port)} instead of its port:\n${stderr}`));
      resolve({ child, client: new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) });
    });
  });
}

function call<T>(client: any, method: string, request: unknown): Promise<T> {
  return new Promise((resolve, reject) =>
    client[method](request, (e: Error | null, res: T) => (e ? reject(e) : resolve(res))),
  );
}

interface Diagnostic {
  policy: string;
  level: number;
  message: string;
}

async function analyze(pack: RunningPack, resource: PlanResource): Promise<Diagnostic[]> {
  const request = new analyzerPb.AnalyzeRequest();
  request.setType(resource.type);
  request.setName(resource.name);
  request.setUrn(resource.urn);
  request.setProperties(Struct.fromJavaScript(resource.inputs));
  const options = new analyzerPb.AnalyzerResourceOptions();
  options.setProtect(resource.protect);
  request.setOptions(options);
  const response = await call<any>(pack.client, "analyze", request);
  return response
    .getDiagnosticsList()
    .map((d: any) => ({ policy: d.getPolicyname(), level: d.getEnforcementlevel(), message: d.getMessage() }));
}

// ---------------------------------------------------------------------------------------------

const plans = {} as Record<Stack, PlanResource[]>;
let pack: RunningPack | undefined;
let packError: unknown;

function one(type: string, name?: string): PlanResource {
  const found = plans.dev.filter((r) => r.type === type && (name === undefined || r.name === name));
  if (found.length !== 1) throw new Error(`expected one ${type} ${name ?? ""} in the dev plan, found ${found.length}`);
  return found[0];
}

/** A deep copy of a dev plan resource, changed by `edit`. */
function mutated(
  type: string,
  name: string | undefined,
  edit: (inputs: Record<string, any>) => void,
  protect?: boolean,
): PlanResource {
  const original = one(type, name);
  const copy = JSON.parse(JSON.stringify(original)) as PlanResource & { inputs: Record<string, any> };
  edit(copy.inputs);
  return { ...copy, protect: protect ?? copy.protect };
}

/** A resource that the program does not register, in the plan's shape. */
function synthetic(type: string, name: string, inputs: Record<string, any>): PlanResource {
  return { urn: `urn:pulumi:dev::dbx-aoai-link::${type}::${name}`, type, name, inputs, protect: false };
}

const T = {
  account: "azure-native:cognitiveservices:Account",
  service: "aws:ec2/vpcEndpointService:VpcEndpointService",
  principal: "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  sgRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  alb: "aws:alb/loadBalancer:LoadBalancer",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamPolicy: "aws:iam/policy:Policy",
  role: "aws:iam/role:Role",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  eip: "aws:ec2/eip:Eip",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  composite: "aws:cloudwatch/compositeAlarm:CompositeAlarm",
  secretAcl: "databricks:index/secretAcl:SecretAcl",
  secretScope: "databricks:index/secretScope:SecretScope",
} as const;

const WILDCARD_STATEMENT = { Sid: "Everything", Effect: "Allow", Action: "*", Resource: "*" };

/**
 * One mutation per invariant (several where the invariant has several shapes): the policy that
 * must catch it, the changed resource, and what its message must say (resource name and fix).
 */
const MUTATIONS: { what: string; policy: string; resource: () => PlanResource; message: RegExp }[] = [
  {
    what: "an entra account with local auth left on",
    policy: "azure-openai-entra-local-auth-disabled",
    resource: () =>
      mutated(T.account, "aoai-account", (i) => {
        i.tags["dbx-aoai-link-auth"] = "entra";
        i.properties.disableLocalAuth = false;
      }),
    message:
      /"aoai-account": tag dbx-aoai-link-auth=entra declares keyless auth, but properties\.disableLocalAuth is false.*Fix: set properties\.disableLocalAuth to true/,
  },
  {
    what: "networkAcls.defaultAction Allow",
    policy: "azure-openai-network-default-deny",
    resource: () =>
      mutated(T.account, "aoai-account", (i) => {
        i.properties.networkAcls.defaultAction = "Allow";
      }),
    message:
      /"aoai-account": properties\.networkAcls\.defaultAction is "Allow".*Fix: set properties\.networkAcls\.defaultAction to "Deny"/,
  },
  {
    what: "networkAcls without defaultAction",
    policy: "azure-openai-network-default-deny",
    resource: () =>
      mutated(T.account, "aoai-account", (i) => {
        delete i.properties.networkAcls;
      }),
    message: /"aoai-account": properties\.networkAcls\.defaultAction is undefined.*Fix:/,
  },
  {
    what: "ipRules with 0.0.0.0/0",
    policy: "azure-openai-ip-rules-public-only",
    resource: () =>
      mutated(T.account, "aoai-account", (i) => {
        i.properties.networkAcls.ipRules.push({ value: "0.0.0.0/0" });
      }),
    message:
      /"aoai-account": properties\.networkAcls\.ipRules entry "0\.0\.0\.0\/0" allows the whole internet\. Fix: remove it/,
  },
  {
    what: "ipRules with 10.0.0.0/8",
    policy: "azure-openai-ip-rules-public-only",
    resource: () =>
      mutated(T.account, "aoai-account", (i) => {
        i.properties.networkAcls.ipRules.push({ value: "10.0.0.0/8" });
      }),
    message:
      /"aoai-account": properties\.networkAcls\.ipRules entry "10\.0\.0\.0\/8" lies in the non-public range 10\.0\.0\.0\/8 \(private \(RFC 1918\)\)\. Fix: remove it/,
  },
  {
    what: "ipRules with a private address 192.168.1.4",
    policy: "azure-openai-ip-rules-public-only",
    resource: () =>
      mutated(T.account, "aoai-account", (i) => {
        i.properties.networkAcls.ipRules.push({ value: "192.168.1.4" });
      }),
    message: /"aoai-account": .*"192\.168\.1\.4" lies in the non-public range 192\.168\.0\.0\/16/,
  },
  {
    what: "acceptanceRequired false",
    policy: "endpoint-service-acceptance-required",
    resource: () =>
      mutated(T.service, "privatelink-service", (i) => {
        i.acceptanceRequired = false;
      }),
    message: /"privatelink-service": acceptanceRequired is false.*Fix: set acceptanceRequired: true/,
  },
  {
    what: 'allowedPrincipals ["*"]',
    policy: "endpoint-service-no-wildcard-principal",
    resource: () =>
      mutated(T.service, "privatelink-service", (i) => {
        i.allowedPrincipals = ["*"];
      }),
    message: /"privatelink-service": allowedPrincipals contains "\*".*Fix: allow only the Databricks serverless role/,
  },
  {
    what: 'a VpcEndpointServiceAllowedPrinciple for "*"',
    policy: "endpoint-service-no-wildcard-principal",
    resource: () =>
      synthetic(T.principal, "privatelink-anyone", { vpcEndpointServiceId: "vpce-svc-0123", principalArn: "*" }),
    message: /"privatelink-anyone": principalArn is "\*".*Fix: allow only the Databricks serverless role/,
  },
  {
    what: "httpTokens optional",
    policy: "launch-template-imdsv2",
    resource: () =>
      mutated(T.launchTemplate, "proxy-lt", (i) => {
        i.metadataOptions.httpTokens = "optional";
      }),
    message:
      /"proxy-lt": metadataOptions\.httpTokens is "optional".*Fix: set metadataOptions\.httpTokens to "required"/,
  },
  {
    what: "no metadataOptions",
    policy: "launch-template-imdsv2",
    resource: () =>
      mutated(T.launchTemplate, "proxy-lt", (i) => {
        delete i.metadataOptions;
      }),
    message: /"proxy-lt": metadataOptions\.httpTokens is undefined.*Fix:/,
  },
  {
    what: "vpc.SecurityGroupIngressRule cidrIpv4 0.0.0.0/0",
    policy: "security-group-no-internet-ingress",
    resource: () =>
      mutated(T.ingressRule, "proxy-proxy-in-metrics", (i) => {
        i.cidrIpv4 = "0.0.0.0/0";
      }),
    message:
      /"proxy-proxy-in-metrics": ingress rule \(ports 8405-8405\) allows 0\.0\.0\.0\/0, the whole internet\. Fix:/,
  },
  {
    what: "vpc.SecurityGroupIngressRule cidrIpv6 ::/0",
    policy: "security-group-no-internet-ingress",
    resource: () =>
      mutated(T.ingressRule, "proxy-proxy-in-tls", (i) => {
        delete i.referencedSecurityGroupId;
        i.cidrIpv6 = "::/0";
      }),
    message: /"proxy-proxy-in-tls": ingress rule \(ports 443-443\) allows ::\/0/,
  },
  {
    what: "inline ingress 0.0.0.0/0 on a SecurityGroup",
    policy: "security-group-no-internet-ingress",
    resource: () =>
      mutated(T.securityGroup, "proxy-proxy-sg", (i) => {
        i.ingress = [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }];
      }),
    message:
      /"proxy-proxy-sg": inline ingress\[0\] \(ports 22-22\) allows 0\.0\.0\.0\/0.*Fix: allow the source security group/,
  },
  {
    what: "an ec2.SecurityGroupRule of type ingress from 0.0.0.0/0",
    policy: "security-group-no-internet-ingress",
    resource: () =>
      synthetic(T.sgRule, "proxy-ssh", {
        type: "ingress",
        protocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrBlocks: ["0.0.0.0/0"],
        securityGroupId: "sg-0123",
      }),
    message: /"proxy-ssh": ingress rule \(ports 22-22\) allows 0\.0\.0\.0\/0/,
  },
  {
    what: "internal false on the NLB",
    policy: "nlb-internal",
    resource: () =>
      mutated(T.lb, "proxy-nlb", (i) => {
        i.internal = false;
      }),
    message: /"proxy-nlb": network load balancer has internal false.*Fix: set internal: true/,
  },
  {
    what: "an aws.alb network load balancer without internal",
    policy: "nlb-internal",
    resource: () => synthetic(T.alb, "public-nlb", { loadBalancerType: "network", subnets: ["subnet-0123"] }),
    message: /"public-nlb": network load balancer has internal undefined/,
  },
  {
    what: 'RolePolicy with Action "*" (JSON string)',
    policy: "iam-no-wildcard-action",
    resource: () =>
      mutated(T.rolePolicy, "eip-assigner-policy", (i) => {
        const doc = JSON.parse(i.policy);
        doc.Statement.push(WILDCARD_STATEMENT);
        i.policy = JSON.stringify(doc);
      }),
    message:
      /"eip-assigner-policy": policy statement \d+ \(Sid "Everything"\) allows Action "\*"\. Fix: list the actions/,
  },
  {
    what: 'Policy with Action ["*"] (object document, single statement)',
    policy: "iam-no-wildcard-action",
    resource: () =>
      synthetic(T.iamPolicy, "admin", {
        policy: { Version: "2012-10-17", Statement: { Effect: "Allow", Action: ["*"], Resource: "*" } },
      }),
    message: /"admin": policy statement 1 allows Action "\*"/,
  },
  {
    what: 'Role inlinePolicies with Action "*"',
    policy: "iam-no-wildcard-action",
    resource: () =>
      mutated(T.role, "proxy-instance-role", (i) => {
        i.inlinePolicies = [
          { name: "debug", policy: JSON.stringify({ Version: "2012-10-17", Statement: [WILDCARD_STATEMENT] }) },
        ];
      }),
    message:
      /"proxy-instance-role": inlinePolicies\[0\] \("debug"\) statement 1 \(Sid "Everything"\) allows Action "\*"/,
  },
  {
    what: "RolePolicy whose document is not JSON",
    policy: "iam-no-wildcard-action",
    resource: () =>
      mutated(T.rolePolicy, "eip-assigner-policy", (i) => {
        i.policy = "{ not json";
      }),
    message: /"eip-assigner-policy": policy is a document that is not valid JSON/,
  },
  {
    what: "log group without retentionInDays",
    policy: "log-group-retention",
    resource: () =>
      mutated(T.logGroup, "eip-assigner-logs", (i) => {
        delete i.retentionInDays;
      }),
    message:
      /"eip-assigner-logs": retentionInDays is undefined, so its logs are kept forever\. Fix: set retentionInDays/,
  },
  {
    what: "log group with retentionInDays 0 (never expire)",
    policy: "log-group-retention",
    resource: () =>
      mutated(T.logGroup, "eip-assigner-logs", (i) => {
        i.retentionInDays = 0;
      }),
    message: /"eip-assigner-logs": retentionInDays is 0/,
  },
  {
    what: "pool EIP without protect",
    policy: "eip-protected",
    resource: () => mutated(T.eip, "egress-eip-3", () => undefined, false),
    message:
      /"egress-eip-3": the Elastic IP is not protected.*Fix: create it with the resource option \{ protect: true \}/,
  },
  {
    what: "an alarm without alarmActions",
    policy: "alarm-has-actions",
    resource: () =>
      mutated(T.alarm, "eip-assigner-pool-exhausted", (i) => {
        delete i.alarmActions;
      }),
    message:
      /"eip-assigner-pool-exhausted": alarmActions is undefined, so the alarm firing reaches nobody\. Fix: create the alarm through the alarm factory/,
  },
  {
    what: "an alarm with okActions []",
    policy: "alarm-has-actions",
    resource: () =>
      mutated(T.alarm, "eip-assigner-dlq-not-empty", (i) => {
        i.okActions = [];
      }),
    message: /"eip-assigner-dlq-not-empty": okActions is \[\], so its recovery reaches nobody/,
  },
  {
    what: "a composite alarm without okActions",
    policy: "alarm-has-actions",
    resource: () =>
      synthetic(T.composite, "tier-down", {
        alarmRule: "ALARM(a) AND ALARM(b)",
        alarmActions: ["arn:aws:sns:us-east-1:123456789012:x"],
      }),
    message: /"tier-down": okActions is undefined, so its recovery reaches nobody/,
  },
  {
    what: "a secret ACL that lets every workspace user read the key (users READ)",
    policy: "secret-scope-acl-pinned",
    resource: () =>
      mutated(T.secretAcl, "serving-scope-acl", (i) => {
        i.principal = "users";
        i.permission = "READ";
      }),
    message:
      /"serving-scope-acl": grants READ on scope "aoai-link-dev" to "users", a group of every workspace user.*dbutils\.secrets\.get\. Fix: remove this ACL/,
  },
  {
    what: "MANAGE for the account-wide group (account users)",
    policy: "secret-scope-acl-pinned",
    resource: () =>
      mutated(T.secretAcl, "serving-scope-acl", (i) => {
        i.principal = "account users";
      }),
    message:
      /"serving-scope-acl": grants MANAGE on scope "aoai-link-dev" to "account users", a group of every workspace user/,
  },
  {
    what: "a READ grant to a principal the program does not declare",
    policy: "secret-scope-acl-pinned",
    resource: () =>
      synthetic(T.secretAcl, "data-scientists-read", {
        scope: "aoai-link-dev",
        principal: "data-scientists",
        permission: "READ",
      }),
    message:
      /"data-scientists-read": grants READ on scope "aoai-link-dev" to "data-scientists", a principal other than the deploy identity.*Fix: remove this ACL/,
  },
  {
    what: "a scope created with initialManagePrincipal users",
    policy: "secret-scope-acl-pinned",
    resource: () =>
      mutated(T.secretScope, "serving-scope", (i) => {
        i.initialManagePrincipal = "users";
      }),
    message: /"serving-scope": initialManagePrincipal is "users".*Fix: leave initialManagePrincipal unset/,
  },
];

describe("policy pack (policy/)", function () {
  before(async function () {
    this.timeout(600_000);
    // The two plans and the pack's start (ts-node with type checking) run side by side.
    const started = startPack().then(
      (p) => {
        pack = p;
      },
      (e) => {
        packError = e;
      },
    );
    const [dev, prod] = await Promise.all(STACKS.map(planResources));
    plans.dev = dev;
    plans.prod = prod;
    await started;
  });

  after(() => {
    pack?.client.close();
    if (pack && pack.child.exitCode === null) pack.child.kill();
  });

  describe("policies over the offline plans", function () {
    this.timeout(60_000);

    for (const stack of STACKS) {
      for (const policy of policies) {
        it(`${stack}: ${policy.name} passes every resource and applies to at least one`, async () => {
          let applied = 0;
          for (const resource of plans[stack]) {
            const verdict = await runPolicy(policy, resource);
            assert.deepStrictEqual(verdict.violations, [], `${resource.urn}`);
            if (verdict.applicable) applied++;
          }
          assert.ok(
            applied > 0,
            `${policy.name} applied to no ${stack} resource: a policy that checks nothing proves nothing`,
          );
        });
      }
    }

    it("checks every pool EIP of both stacks (5 in dev, 10 in prod), all protected", async () => {
      for (const [stack, size] of [
        ["dev", 5],
        ["prod", 10],
      ] as const) {
        const eips = plans[stack].filter((r) => r.type === T.eip);
        assert.strictEqual(eips.length, size, stack);
        assert.ok(
          eips.every((e) => e.protect),
          stack,
        );
      }
    });
  });

  describe("mutations", function () {
    this.timeout(30_000);

    for (const mutation of MUTATIONS) {
      it(`${mutation.policy} catches ${mutation.what}`, async () => {
        const resource = mutation.resource();
        const verdict = await runPolicy(policyNamed(mutation.policy), resource);
        assert.strictEqual(verdict.violations.length, 1, verdict.violations.join("\n"));
        assert.match(verdict.violations[0], mutation.message);
        assert.ok(verdict.violations[0].startsWith(`${resource.type} "${resource.name}": `), verdict.violations[0]);
        // No other policy reports the change: each invariant has exactly one owner.
        const others = (await allViolations(resource)).filter((v) => !v.startsWith(`${mutation.policy}: `));
        assert.deepStrictEqual(others, []);
      });
    }

    it("covers every policy with at least one mutation", () => {
      assert.deepStrictEqual(
        policies.map((p) => p.name).filter((n) => !MUTATIONS.some((m) => m.policy === n)),
        [],
      );
    });

    it('lets through what the design needs: egress to 0.0.0.0/0, Deny statements with Action "*", public ranges', async () => {
      const egress = mutated(T.egressRule, "proxy-proxy-out-https", (i) => {
        i.cidrIpv4 = "0.0.0.0/0";
      });
      const egressRule = synthetic(T.sgRule, "proxy-out", {
        type: "egress",
        protocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrBlocks: ["0.0.0.0/0"],
        securityGroupId: "sg-0123",
      });
      const deny = synthetic(T.iamPolicy, "deny-all", {
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Action: "*", Resource: "*" }] }),
      });
      const operatorRange = mutated(T.account, "aoai-account", (i) => {
        i.properties.networkAcls.ipRules.push({ value: "198.51.100.0/24" });
      });
      const applicationLb = synthetic(T.lb, "web", { loadBalancerType: "application", internal: false });
      for (const resource of [egress, egressRule, deny, operatorRange, applicationLb]) {
        assert.deepStrictEqual(await allViolations(resource), [], resource.name);
      }
    });
  });

  describe("the pack itself", function () {
    this.timeout(60_000);

    it("is mandatory throughout, with unique policy names", () => {
      assert.deepStrictEqual(
        policies.filter((p) => p.enforcementLevel !== "mandatory").map((p) => p.name),
        [],
      );
      assert.strictEqual(new Set(policies.map((p) => p.name)).size, policies.length);
      for (const p of policies) assert.match(p.name, /^[a-z0-9-]+$/);
    });

    it("constructs the PolicyPack in policy/index.ts only (it starts a server on import)", () => {
      const constructing = fs
        .readdirSync(POLICY_DIR)
        .filter((f) => f.endsWith(".ts"))
        .filter((f) => /new\s+PolicyPack\s*\(/.test(fs.readFileSync(path.join(POLICY_DIR, f), "utf8")));
      assert.deepStrictEqual(constructing, ["index.ts"]);
    });

    it("is a nodejs policy pack whose package.json carries the version PolicyPack reads", () => {
      const project = yaml.load(fs.readFileSync(path.join(POLICY_DIR, "PulumiPolicy.yaml"), "utf8")) as {
        runtime: string;
      };
      assert.strictEqual(project.runtime, "nodejs");
      const pkg = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));
      assert.match(pkg.version, /^\d+\.\d+\.\d+$/);
      assert.strictEqual(
        pkg.dependencies,
        undefined,
        "the pack resolves its modules from the root node_modules: one npm ci",
      );
    });

    describe("started as `pulumi preview --policy-pack policy` starts it (run-policy-pack, gRPC)", () => {
      before(function () {
        if (packError) throw packError;
      });

      it("reports its name, version and every policy as mandatory", async () => {
        const info = await call<any>(pack!.client, "getAnalyzerInfo", new Empty());
        assert.strictEqual(info.getName(), POLICY_PACK_NAME);
        assert.strictEqual(
          info.getVersion(),
          JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")).version,
        );
        const served = info.getPoliciesList().map((p: any) => [p.getName(), p.getEnforcementlevel()]);
        assert.deepStrictEqual(
          served,
          policies.map((p) => [p.name, MANDATORY]),
        );
      });

      it("finds nothing in the dev and prod plans", async () => {
        for (const stack of STACKS) {
          for (const resource of plans[stack]) {
            assert.deepStrictEqual(await analyze(pack!, resource), [], resource.urn);
          }
        }
      });

      it("blocks every mutation with a mandatory diagnostic from the right policy", async () => {
        for (const mutation of MUTATIONS) {
          const diagnostics = await analyze(pack!, mutation.resource());
          assert.deepStrictEqual(
            diagnostics.map((d) => [d.policy, d.level]),
            [[mutation.policy, MANDATORY]],
            mutation.what,
          );
          assert.match(diagnostics[0].message, mutation.message);
        }
      });
    });
  });
});
