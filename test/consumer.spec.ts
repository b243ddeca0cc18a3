/**
 * examples/consumer under Pulumi mocks: the shared recording mocks (plan/mocks.ts), plus a
 * StackReference that answers with the outputs a dbx-aoai-link stack exports.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { RecordingMocks } from "../plan/mocks";
import {
  attachWorkspaceToLink,
  CONSUMED_OUTPUTS,
  readSettings,
  type ConsumerSettings,
  type LinkAttachment,
} from "../examples/consumer/link";

const STACK_REFERENCE = "pulumi:pulumi:StackReference";
const T = {
  binding: "databricks:index/mwsNccBinding:MwsNccBinding",
  option: "databricks:index/workspaceNetworkOption:WorkspaceNetworkOption",
  provider: "pulumi:providers:databricks",
} as const;

/** What the dev stack of the link exports (values shaped like `npm run plan`'s). */
const LINK_OUTPUTS: Record<string, unknown> = {
  egressIps: ["203.0.113.10", "203.0.113.11"],
  azureOpenAiEndpoint: "https://contoso-aoai-dev.openai.azure.com/",
  azureOpenAiFqdn: "contoso-aoai-dev.openai.azure.com",
  deployments: { "gpt-4o-mini": "gpt-4o-mini" },
  endpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-062596630480b2cc0",
  endpointServiceId: "vpce-svc-062596630480b2cc0",
  nlbArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/proxy-nlb-b8bd53f/b8bd53f52f47eee1",
  proxyAsgName: "dbx-aoai-link-dev-proxies",
  nccId: "aef54438-6526-e527-7733-375055cf53a0",
  privateEndpointRuleId: "71b15102-5faa-8ff0-da42-f9c0f81209fc",
  networkPolicyId: "aoai-link-dev",
  servingEndpointName: "aoai-chat",
  awsRegion: "us-east-1",
  databricksAccountId: "0d26daa6-5e44-4c97-a497-ef015f91254a",
  databricksAccountHost: "https://accounts.cloud.databricks.com",
};

const SETTINGS: ConsumerSettings = {
  linkOrganization: "acme",
  linkStack: "dev",
  workspaceId: "9876543210987654",
};

/** The recording mocks, answering a StackReference read with `outputs` (as the engine's state). */
class LinkStackMocks extends RecordingMocks {
  readonly references: string[] = [];
  constructor(
    private readonly outputs: Record<string, unknown>,
    private readonly secretOutputNames: string[] = [],
  ) {
    super({ awsRegion: "us-east-1" });
  }
  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    if (args.type === STACK_REFERENCE) {
      this.references.push(String(args.inputs.name));
      return {
        id: String(args.inputs.name),
        state: { name: args.inputs.name, outputs: this.outputs, secretOutputNames: this.secretOutputNames },
      };
    }
    return super.newResource(args);
  }
}

/** Resolves an Output (rejecting when it fails); mocks run with preview=false, so all are known. */
function settled<T>(output: pulumi.Output<T>): Promise<T> {
  return (output as unknown as { promise(): Promise<T> }).promise();
}

/** Lets registrations started on earlier turns reach the mocks. */
async function flush(): Promise<void> {
  await (require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> }).waitForRPCs();
}

async function attach(mocks: LinkStackMocks, settings: ConsumerSettings = SETTINGS): Promise<LinkAttachment> {
  await pulumi.runtime.setMocks(mocks, "dbx-aoai-consumer", "analytics-dev", false, "acme");
  return attachWorkspaceToLink("workspace", settings);
}

describe("examples/consumer (under mocks, StackReference mocked)", function () {
  this.timeout(30_000);

  describe("with every output of the link's stack", () => {
    let mocks: LinkStackMocks;
    let attachment: LinkAttachment;
    before(async () => {
      mocks = new LinkStackMocks(LINK_OUTPUTS);
      attachment = await attach(mocks);
      await settled(attachment.binding.urn);
      await settled(attachment.networkOption.urn);
      await flush();
    });

    it("reads the fully qualified stack <org>/dbx-aoai-link/<stack>", async () => {
      assert.deepStrictEqual(mocks.references, ["acme/dbx-aoai-link/dev"]);
      assert.strictEqual(await settled(attachment.stackReference.name), "acme/dbx-aoai-link/dev");
    });

    it("binds the workspace to the link's NCC (its nccId output)", () => {
      const bindings = mocks.resources.filter((r) => r.type === T.binding);
      assert.strictEqual(bindings.length, 1);
      assert.deepStrictEqual(bindings[0].inputs, {
        networkConnectivityConfigId: LINK_OUTPUTS.nccId,
        workspaceId: SETTINGS.workspaceId,
      });
    });

    it("attaches the link's network policy (its networkPolicyId output) to the workspace", () => {
      const options = mocks.resources.filter((r) => r.type === T.option);
      assert.strictEqual(options.length, 1);
      assert.deepStrictEqual(options[0].inputs, {
        networkPolicyId: LINK_OUTPUTS.networkPolicyId,
        workspaceId: SETTINGS.workspaceId,
      });
    });

    it("uses an account-level provider for both, on the link's account and host (its outputs)", () => {
      const providers = mocks.resources.filter((r) => r.type === T.provider);
      assert.strictEqual(providers.length, 1);
      assert.strictEqual(providers[0].inputs.host, LINK_OUTPUTS.databricksAccountHost);
      assert.strictEqual(providers[0].inputs.accountId, LINK_OUTPUTS.databricksAccountId);
      for (const type of [T.binding, T.option]) {
        const resource = mocks.resources.find((r) => r.type === type)!;
        assert.match(String(resource.provider), /::pulumi:providers:databricks::workspace-account::/, type);
      }
    });

    it("exposes the values it bound, and the link's region", async () => {
      assert.strictEqual(await settled(attachment.region), LINK_OUTPUTS.awsRegion);
      assert.strictEqual(await settled(attachment.nccId), LINK_OUTPUTS.nccId);
      assert.strictEqual(await settled(attachment.networkPolicyId), LINK_OUTPUTS.networkPolicyId);
    });
  });

  it("lets config override the account id and host the link exports", async () => {
    const mocks = new LinkStackMocks(LINK_OUTPUTS);
    const attachment = await attach(mocks, {
      ...SETTINGS,
      accountId: "11111111-2222-3333-4444-555555555555",
      accountHost: "https://accounts.example.com",
    });
    await settled(attachment.binding.urn);
    await flush();
    const provider = mocks.resources.find((r) => r.type === T.provider)!;
    assert.strictEqual(provider.inputs.accountId, "11111111-2222-3333-4444-555555555555");
    assert.strictEqual(provider.inputs.host, "https://accounts.example.com");
  });

  it("reads only the outputs it declares (CONSUMED_OUTPUTS), through getOutput", async () => {
    const read: string[] = [];
    const proto = pulumi.StackReference.prototype;
    const original = {
      getOutput: proto.getOutput,
      requireOutput: proto.requireOutput,
      getOutputDetails: proto.getOutputDetails,
    };
    proto.getOutput = function (name) {
      read.push(String(name));
      return original.getOutput.call(this, name);
    };
    proto.requireOutput = function (name) {
      read.push(String(name));
      return original.requireOutput.call(this, name);
    };
    proto.getOutputDetails = function (name) {
      read.push(name);
      return original.getOutputDetails.call(this, name);
    };
    try {
      const attachment = await attach(new LinkStackMocks(LINK_OUTPUTS));
      await settled(attachment.binding.urn);
    } finally {
      Object.assign(proto, original);
    }
    assert.deepStrictEqual([...read].sort(), [...CONSUMED_OUTPUTS].sort());
  });

  it("keeps a secret output secret", async () => {
    const attachment = await attach(new LinkStackMocks(LINK_OUTPUTS, ["networkPolicyId"]));
    assert.strictEqual(await (attachment.networkPolicyId as unknown as { isSecret: Promise<boolean> }).isSecret, true);
    assert.strictEqual(await (attachment.nccId as unknown as { isSecret: Promise<boolean> }).isSecret, false);
  });

  it("fails with a clear error when the link's stack lacks an output", async () => {
    const { nccId: _missing, ...withoutNcc } = LINK_OUTPUTS;
    const mocks = new LinkStackMocks(withoutNcc);
    const attachment = await attach(mocks);
    await assert.rejects(settled(attachment.nccId), (e: Error) => {
      // The SDK prefixes the property it was serializing: 'error serializing property "networkConnectivityConfigId": ...'.
      assert.match(
        e.message,
        /stack "acme\/dbx-aoai-link\/dev" has no output "nccId" \(got undefined\)\. Run `pulumi up` on that dbx-aoai-link stack first, or fix dbx-aoai-consumer:linkStack/,
      );
      assert.match(
        e.message,
        /This program reads the outputs nccId, networkPolicyId, awsRegion, databricksAccountId, databricksAccountHost\.$/,
      );
      return true;
    });
    assert.strictEqual(await settled(attachment.networkPolicyId), LINK_OUTPUTS.networkPolicyId);
    await settled(attachment.networkOption.urn);
    await flush();
    assert.deepStrictEqual(
      mocks.resources.filter((r) => r.type === T.binding),
      [],
      "no binding without an NCC id",
    );
  });

  describe("config", () => {
    /** A stack's config as `pulumi.Config` reads it (without touching the process-wide config). */
    function config(values: Record<string, string>) {
      return {
        get: (key: string) => values[key],
        require: (key: string) => {
          if (values[key] === undefined)
            throw new Error(`Missing required configuration variable 'dbx-aoai-consumer:${key}'`);
          return values[key];
        },
      };
    }

    it("reads the link's stack and workspace, defaulting the organization, account and host", async () => {
      await pulumi.runtime.setMocks(
        new LinkStackMocks(LINK_OUTPUTS),
        "dbx-aoai-consumer",
        "analytics-dev",
        false,
        "acme",
      );
      assert.deepStrictEqual(readSettings(config({ linkStack: "prod", workspaceId: "1234" })), {
        linkOrganization: "acme",
        linkStack: "prod",
        workspaceId: "1234",
      });
      assert.deepStrictEqual(
        readSettings(
          config({ linkStack: "prod", workspaceId: "1234", accountId: LINK_OUTPUTS.databricksAccountId as string }),
        ).accountId,
        LINK_OUTPUTS.databricksAccountId,
      );
    });

    it("rejects a workspace id that is not numeric, naming the key and the fix", async () => {
      assert.throws(
        () => readSettings(config({ linkStack: "dev", workspaceId: "dbc-1234abcd-5678" })),
        /dbx-aoai-consumer:workspaceId = "dbc-1234abcd-5678": must be the numeric workspace id/,
      );
    });

    it("rejects an account id that is not a UUID", async () => {
      assert.throws(
        () => readSettings(config({ linkStack: "dev", workspaceId: "1234", accountId: "acme" })),
        /dbx-aoai-consumer:accountId = "acme": must be the Databricks account id \(a UUID/,
      );
    });
  });
});
