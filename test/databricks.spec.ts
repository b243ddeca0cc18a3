import * as assert from "assert";
import type * as pulumi from "@pulumi/pulumi";
import { RecordingMocks } from "../plan/mocks";
import { evaluate, type Evaluation, isSecretWire, stackConfig, valueOf } from "./support/program";
import { AZURE_OPENAI_API_VERSION } from "../databricks/servingEndpoint";
import { defaultDatabricksBase, networkPolicyId, nccName } from "../databricks/naming";
import { TYPES as T } from "../plan/resourceTypes";
import { MOCK_DATABRICKS_DEPLOY_IDENTITY } from "../engine/inventedValues";
import { isWorkspaceWide } from "../databricks/secretScopeAcl";

type Json = Record<string, any>;

describe("Databricks side (under mocks)", () => {
  let dev: Evaluation;
  let twoWorkspaces: Evaluation;
  before(async () => {
    dev = await evaluate(stackConfig("dev"));
    twoWorkspaces = await evaluate(
      stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:databricks"].workspaceIds = ["1111111111111111", "2222222222222222"];
      }),
    );
  });

  it("creates the NCC in aws:region", () => {
    const ncc = dev.one(T.ncc).inputs;
    assert.strictEqual(ncc.region, "us-east-1");
    assert.strictEqual(ncc.name, nccName(defaultDatabricksBase("dev")));
    assert.match(String(ncc.name), /^[0-9a-zA-Z_-]{3,30}$/);
  });

  it("points the private endpoint rule at our endpoint service for the Azure OpenAI FQDN", async () => {
    const rule = dev.one(T.nccRule).inputs;
    assert.strictEqual(rule.endpointService, dev.one(T.endpointService).outputs.serviceName);
    assert.match(String(rule.endpointService), /^com\.amazonaws\.vpce\.us-east-1\.vpce-svc-[0-9a-f]{17}$/);
    assert.deepStrictEqual(rule.domainNames, [await valueOf(dev.outputs.azureOpenAiFqdn)]);
    assert.strictEqual(rule.enabled, undefined, "`enabled` is S3-only and errors on other rules");
    assert.strictEqual(rule.networkConnectivityConfigId, dev.one(T.ncc).outputs.networkConnectivityConfigId);
  });

  it("waits for the rule's VPC endpoint id and accepts exactly that endpoint on our service", () => {
    const waiter = dev.one(T.ruleEndpoint);
    assert.strictEqual(waiter.inputs.ruleId, dev.one(T.nccRule).outputs.ruleId);
    assert.strictEqual(waiter.inputs.nccId, dev.one(T.ncc).outputs.networkConnectivityConfigId);
    assert.strictEqual(waiter.inputs.accountHost, "https://accounts.cloud.databricks.com");
    const accepter = dev.one(T.accepter).inputs;
    assert.strictEqual(accepter.vpcEndpointId, waiter.outputs.vpcEndpointId);
    assert.match(String(accepter.vpcEndpointId), /^vpce-0[0-9a-f]{16}$/);
    assert.strictEqual(accepter.vpcEndpointServiceId, dev.one(T.endpointService).outputs.id);
  });

  it("binds the NCC and attaches the network policy to every workspace, once each", () => {
    assert.deepStrictEqual(
      twoWorkspaces.all(T.binding).map((b) => b.inputs.workspaceId),
      ["1111111111111111", "2222222222222222"],
    );
    assert.deepStrictEqual(
      twoWorkspaces.all(T.option).map((o) => o.inputs.workspaceId),
      ["1111111111111111", "2222222222222222"],
    );
    const policyId = twoWorkspaces.one(T.policy).inputs.networkPolicyId;
    for (const option of twoWorkspaces.all(T.option)) assert.strictEqual(option.inputs.networkPolicyId, policyId);
  });

  it("restricts serverless internet egress with the configured enforcement and ingress set explicitly", async () => {
    const policy = dev.one(T.policy).inputs;
    assert.strictEqual(policy.egress.networkAccess.restrictionMode, "RESTRICTED_ACCESS");
    assert.deepStrictEqual(policy.egress.networkAccess.policyEnforcement, { enforcementMode: "ENFORCED" });
    assert.deepStrictEqual(
      policy.ingress,
      {
        privateAccess: { restrictionMode: "ALLOW_ALL_REGISTERED_ENDPOINTS" },
        publicAccess: { restrictionMode: "FULL_ACCESS" },
        crossWorkspaceAccess: { restrictionMode: "LEGACY_MODE" },
      },
      "ingress is set explicitly, as the API fills it in (the provider reports an inconsistent result otherwise)",
    );
    assert.match(String(policy.networkPolicyId), /^[a-zA-Z0-9_.-]{1,32}$/);
    const dryRun = await evaluate(
      stackConfig("dev", (raw) => {
        raw["dbx-aoai-link:databricks"].networkPolicy = {
          enforcement: "DRY_RUN",
          allowedInternetDestinations: ["pypi.org"],
        };
      }),
    );
    const access = dryRun.one(T.policy).inputs.egress.networkAccess;
    assert.deepStrictEqual(access.policyEnforcement, { enforcementMode: "DRY_RUN" });
    assert.deepStrictEqual(access.allowedInternetDestinations, [
      { destination: "contoso-aoai-dev.openai.azure.com", internetDestinationType: "DNS_NAME" },
      { destination: "pypi.org", internetDestinationType: "DNS_NAME" },
    ]);
  });

  it("restricts public ingress to the configured addresses when asked", async () => {
    const restricted = await evaluate(
      stackConfig("dev", (raw) => {
        Object.assign(raw["dbx-aoai-link:databricks"].networkPolicy, {
          publicAccess: "RESTRICTED_ACCESS",
          publicAccessAllowedIps: ["198.51.100.0/24", "203.0.113.9"],
        });
      }),
    );
    assert.deepStrictEqual(restricted.one(T.policy).inputs.ingress.publicAccess, {
      restrictionMode: "RESTRICTED_ACCESS",
      allowRules: [
        { label: "allowed-ips", origin: { includedIpRanges: { ipRanges: ["198.51.100.0/24", "203.0.113.9"] } } },
      ],
    });
  });

  it("allows the Azure OpenAI FQDN as a destination, since private endpoint names are not exempt", async () => {
    const destinations = dev.one(T.policy).inputs.egress.networkAccess.allowedInternetDestinations;
    assert.deepStrictEqual(destinations, [
      { destination: await valueOf(dev.outputs.azureOpenAiFqdn), internetDestinationType: "DNS_NAME" },
    ]);
  });

  it("leaves ingress unset in GovCloud, as the SRA does", async () => {
    const gov = await evaluate(
      stackConfig("dev", (raw) => {
        raw["aws:region"] = "us-gov-west-1";
      }),
    );
    assert.strictEqual(gov.one(T.policy).inputs.ingress, undefined);
    assert.strictEqual(gov.one(T.policy).inputs.egress.networkAccess.restrictionMode, "RESTRICTED_ACCESS");
  });

  it("keeps derived ids within Databricks' limits for long stack names", () => {
    const long = "a-very-long-stack-name-for-the-production-environment";
    assert.ok(networkPolicyId(long).length <= 32 && /^[a-zA-Z0-9_.-]+$/.test(networkPolicyId(long)));
    assert.ok(nccName(long).length <= 30 && /^[0-9a-zA-Z_-]+$/.test(nccName(long)));
    assert.notStrictEqual(networkPolicyId(long), networkPolicyId(`${long}-2`));
  });

  it("registers account-level resources on the account provider and workspace ones on the workspace provider", () => {
    const providers = dev.all(T.provider);
    const account = providers.find((p) => p.name === "databricks-account")!;
    const workspace = providers.find((p) => p.name === "databricks-workspace")!;
    assert.strictEqual(account.inputs.host, "https://accounts.cloud.databricks.com");
    assert.strictEqual(account.inputs.accountId, "0d26daa6-5e44-4c97-a497-ef015f91254a");
    // A rule create the backend is still processing must not be abandoned after 65 s (provider #5292).
    assert.strictEqual(Number(account.inputs.httpTimeoutSeconds), 600);
    assert.strictEqual(workspace.inputs.host, "https://dbc-1234abcd-5678.cloud.databricks.com");
    const onProvider = (type: string, provider: typeof account) =>
      dev.all(type).length > 0 &&
      dev.all(type).every((r) => r.provider?.includes(`::pulumi:providers:databricks::${provider.name}::`));
    for (const type of [T.ncc, T.nccRule, T.binding, T.policy, T.option]) assert.ok(onProvider(type, account), type);
    for (const type of [T.scope, T.secret, T.secretAcl, T.serving]) assert.ok(onProvider(type, workspace), type);
  });

  describe("serving endpoint", () => {
    it("stores the Azure key only as a secret and references it from the endpoint", () => {
      const secret = dev.one(T.secret).inputs;
      assert.ok(isSecretWire(secret.stringValue), "the key reaches the Databricks secret as a Pulumi secret");
      const config = (dev.one(T.serving).inputs.config as Json).servedEntities[0].externalModel.openaiConfig;
      assert.strictEqual(config.openaiApiKey, `{{secrets/${secret.scope}/${secret.key}}}`);
      assert.strictEqual(config.openaiApiKeyPlaintext, undefined);
    });

    it("pins the secret scope's ACL to the deploy identity alone, with MANAGE, and exports it for verify", async () => {
      const acls = dev.all(T.secretAcl);
      assert.strictEqual(acls.length, 1, "exactly one ACL entry is declared");
      const [acl] = acls;
      const scope = dev.one(T.scope);
      assert.strictEqual(acl.inputs.scope, scope.outputs.name);
      // The principal is whoever the workspace provider authenticates as (getCurrentUser), not a literal.
      assert.ok(dev.invokes.some((i) => i.token === "databricks:index/getCurrentUser:getCurrentUser"));
      assert.strictEqual(acl.inputs.principal, MOCK_DATABRICKS_DEPLOY_IDENTITY);
      assert.strictEqual(acl.inputs.permission, "MANAGE");
      assert.ok(acl.provider?.includes("::databricks-workspace::"), "a workspace-level resource");
      assert.strictEqual(acl.parent, scope.parent, "a child of the serving endpoint component");
      assert.strictEqual(await valueOf(dev.outputs.secretScopeName!), scope.outputs.name);
      assert.deepStrictEqual(await valueOf(dev.outputs.secretScopePrincipals!), [MOCK_DATABRICKS_DEPLOY_IDENTITY]);
    });

    it("grants nothing to a group of every workspace user: no ACL for users, no initial MANAGE for users", () => {
      for (const acl of dev.all(T.secretAcl)) assert.ok(!isWorkspaceWide(String(acl.inputs.principal)), acl.name);
      assert.strictEqual(dev.one(T.scope).inputs.initialManagePrincipal, undefined);
    });

    it("calls the Azure deployment with api type azure and a dated GA API version", () => {
      const serving = dev.one(T.serving).inputs as Json;
      assert.strictEqual(serving.name, "aoai-chat");
      const model = serving.config.servedEntities[0].externalModel;
      assert.deepStrictEqual([model.provider, model.task, model.name], ["openai", "llm/v1/chat", "gpt-5.2"]);
      assert.strictEqual(model.openaiConfig.openaiApiType, "azure");
      assert.strictEqual(model.openaiConfig.openaiApiBase, "https://contoso-aoai-dev.openai.azure.com/");
      assert.strictEqual(model.openaiConfig.openaiDeploymentName, "gpt-5.2");
      assert.match(AZURE_OPENAI_API_VERSION, /^\d{4}-\d{2}-\d{2}$/);
      assert.strictEqual(model.openaiConfig.openaiApiVersion, AZURE_OPENAI_API_VERSION);
    });

    it("names the served entity after the deployment in the characters Databricks allows", async () => {
      const e = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:azure"].deployments[0].name = "gpt-4.1-mini";
          raw["dbx-aoai-link:databricks"].servingEndpoint.deployment = "gpt-4.1-mini";
        }),
      );
      const entity = (e.one(T.serving).inputs as Json).config.servedEntities[0];
      assert.strictEqual(entity.name, "gpt-4-1-mini");
      assert.strictEqual(entity.externalModel.openaiConfig.openaiDeploymentName, "gpt-4.1-mini");
    });

    it("makes the deploying principal a workspace USER before the endpoint, when assignPrincipal is set", async () => {
      assert.strictEqual(
        dev.all(T.workspaceAssignment).length,
        0,
        "not asked for: the principal must already be a user",
      );
      const e = await evaluate(
        stackConfig("dev", (raw) => {
          raw["dbx-aoai-link:databricks"].servingEndpoint.assignPrincipal = {
            principalId: "7654321",
            workspaceId: "1234567890123456",
          };
        }),
      );
      const assignment = e.one(T.workspaceAssignment);
      assert.deepStrictEqual(
        [assignment.inputs.workspaceId, assignment.inputs.principalId, assignment.inputs.permissions],
        ["1234567890123456", "7654321", ["USER"]],
      );
      assert.ok(assignment.provider?.includes("::databricks-account::"), "an account-level resource");
      const serving = e.all("dbx-aoai-link:databricks:ServingEndpoint")[0];
      assert.ok(serving.dependsOn.includes(assignment.urn), "the endpoint waits for the assignment");
    });

    it("is absent, with no workspace provider and no key read, when not configured", async () => {
      const e = await evaluate(
        stackConfig("dev", (raw) => {
          delete raw["dbx-aoai-link:databricks"].servingEndpoint;
        }),
      );
      for (const type of [T.scope, T.secret, T.secretAcl, T.serving]) assert.strictEqual(e.all(type).length, 0, type);
      assert.deepStrictEqual(
        e.all(T.provider).map((p) => p.name),
        ["databricks-account"],
      );
      assert.strictEqual(e.outputs.servingEndpointName, undefined);
      assert.ok(!e.invokes.some((i) => i.token === "azure-native:cognitiveservices:listAccountKeys"), "no key is read");
      assert.ok(dev.invokes.some((i) => i.token === "azure-native:cognitiveservices:listAccountKeys"));
    });
  });
});

describe("the deploy identity is read after it can read the workspace (servingEndpoint.assignPrincipal)", () => {
  /** Records when the workspace assignment finishes and when the deploy identity is looked up. */
  class OrderRecorder extends RecordingMocks {
    readonly events: string[] = [];
    // @ts-expect-error pulumi.runtime.Mocks may answer asynchronously; RecordingMocks itself never needs to.
    async newResource(args: pulumi.runtime.MockResourceArgs) {
      if (args.type === T.workspaceAssignment) {
        // A real assignment takes a while; without the dependency the lookup would not wait for it.
        await new Promise((resolve) => setTimeout(resolve, 100));
        this.events.push("assignment created");
      }
      return super.newResource(args);
    }
    call(args: pulumi.runtime.MockCallArgs) {
      if (/getCurrentUser/.test(args.token)) this.events.push("getCurrentUser");
      return super.call(args);
    }
  }

  it("looks up getCurrentUser only once the principal is a user of the serving workspace", async () => {
    const config = stackConfig("dev", (raw) => {
      raw["dbx-aoai-link:databricks"].servingEndpoint.assignPrincipal = {
        principalId: "7654321",
        workspaceId: raw["dbx-aoai-link:databricks"].workspaceIds[0],
      };
    });
    const recorder = new OrderRecorder({ awsRegion: config.awsRegion });
    await evaluate(config, recorder as unknown as RecordingMocks);
    // Before the assignment, a principal that is not yet a workspace user is refused, at preview too.
    assert.deepStrictEqual(recorder.events, ["assignment created", "getCurrentUser"]);
  });
});

describe("a preview never reads the deploy identity (pull-request previews run as another principal)", () => {
  class PreviewMocks extends RecordingMocks {
    async install(project: string, stack: string): Promise<void> {
      await super.install(project, stack, true);
    }
  }

  it("makes no getCurrentUser call in a preview, and the ACL keeps its recorded principal on an existing stack", async () => {
    const config = stackConfig("dev");
    const preview = await evaluate(config, new PreviewMocks({ awsRegion: config.awsRegion }));
    assert.deepStrictEqual(
      preview.invokes.filter((invoke) => /getCurrentUser/.test(invoke.token)),
      [],
      "a preview principal that is no workspace user would be refused, and another one would show the ACL replaced",
    );
    const deploy = await evaluate(config);
    assert.ok(
      deploy.invokes.some((invoke) => /getCurrentUser/.test(invoke.token)),
      "a deployment reads it",
    );
    assert.strictEqual(deploy.one(T.secretAcl).inputs.principal, MOCK_DATABRICKS_DEPLOY_IDENTITY);
  });
});
