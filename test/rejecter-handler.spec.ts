import { strict as assert } from "node:assert";
import {
  DescribeVpcEndpointConnectionsCommand,
  type EC2Client,
  RejectVpcEndpointConnectionsCommand,
} from "@aws-sdk/client-ec2";
import { GetParameterCommand, ParameterNotFound, type SSMClient } from "@aws-sdk/client-ssm";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { awsCalls, ec2Client, ssmClient } from "../lambda-connections/aws";
import {
  ENV_VARS,
  METRIC_NAMES,
  METRIC_NAMESPACE_DEFAULT,
  REJECTION_TIMING,
  SERVICE_NAME_DEFAULT,
} from "../lambda-connections/contract";
import { type RejecterEvent, createHandler } from "../lambda-connections/index";
import { ec2Error } from "../bench/eip/awsErrors";
import { captureOutput } from "../bench/eip/captureOutput";
import { setEnv } from "../bench/eip/env";

const SERVICE = "vpce-svc-0123456789abcdef0";
const PARAMETER = "/dbx-aoai-link/test/privatelink/rule-endpoint-id";
const OURS = "vpce-0aaaaaaaaaaaaaaaa";
const FOREIGN = "vpce-0bbbbbbbbbbbbbbbb";
const NOW = new Date("2026-12-01T12:00:00Z");
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const OLD = minutesAgo(REJECTION_TIMING.settleSeconds / 60 + 5);

const snsEvent = {
  Records: [
    {
      EventSource: "aws:sns",
      Sns: { Message: JSON.stringify({ VpcEndpointId: FOREIGN, EndpointState: "pendingAcceptance" }) },
    },
  ],
} as unknown as RejecterEvent;
const pending = (id: string, created: Date) => ({
  ServiceId: SERVICE,
  VpcEndpointId: id,
  VpcEndpointOwner: "565502421330",
  VpcEndpointState: "PendingAcceptance" as const,
  CreationTimestamp: created,
});

type LogRecord = Record<string, unknown>;
function metricsOf(records: LogRecord[]) {
  return records.flatMap((r) => {
    const emf = r._aws as
      { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> } | undefined;
    return emf
      ? emf.CloudWatchMetrics.flatMap((m) =>
          m.Metrics.map(({ Name }) => ({ namespace: m.Namespace, name: Name, service: r.service, value: r[Name] })),
        )
      : [];
  });
}

describe("connection rejecter handler (SDK boundary)", () => {
  let ec2: AwsClientStub<EC2Client>;
  let ssm: AwsClientStub<SSMClient>;
  let restoreEnv: () => void;
  const handle = createHandler({ ...awsCalls, now: () => NOW });
  const invoke = (event: RejecterEvent = snsEvent) => captureOutput(() => handle(event));

  beforeEach(() => {
    ec2 = mockClient(ec2Client as unknown as EC2Client);
    ssm = mockClient(ssmClient as unknown as SSMClient);
    ec2.on(RejectVpcEndpointConnectionsCommand).resolves({ Unsuccessful: [] });
    ssm.on(GetParameterCommand).resolves({ Parameter: { Value: OURS } });
    restoreEnv = setEnv({
      [ENV_VARS.SERVICE_ID]: SERVICE,
      [ENV_VARS.OUR_ENDPOINT_PARAMETER]: PARAMETER,
      [ENV_VARS.SETTLE_SECONDS]: undefined,
      [ENV_VARS.GRACE_SECONDS]: undefined,
    });
  });
  afterEach(() => {
    ec2.restore();
    ssm.restore();
    restoreEnv();
  });

  it("lists only this service's requests awaiting acceptance", async () => {
    ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [] });
    await invoke();
    assert.deepEqual(ec2.commandCalls(DescribeVpcEndpointConnectionsCommand)[0].args[0].input.Filters, [
      { Name: "service-id", Values: [SERVICE] },
      { Name: "vpc-endpoint-state", Values: ["pendingAcceptance"] },
    ]);
    assert.equal(ssm.commandCalls(GetParameterCommand).length, 0, "nothing pending: no need to read the parameter");
  });

  it("rejects a foreign request past the settle window, exactly that endpoint, and counts it", async () => {
    ec2
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolves({ VpcEndpointConnections: [pending(OURS, OLD), pending(FOREIGN, OLD)] });
    const { result, records } = await invoke();
    assert.equal(result.status, "fulfilled");
    assert.deepEqual(
      ec2.commandCalls(RejectVpcEndpointConnectionsCommand).map((c) => c.args[0].input),
      [{ ServiceId: SERVICE, VpcEndpointIds: [FOREIGN] }],
    );
    assert.deepEqual(ssm.commandCalls(GetParameterCommand)[0].args[0].input, { Name: PARAMETER });
    assert.deepEqual(
      metricsOf(records).filter((m) => m.name === METRIC_NAMES.ConnectionRejected),
      [
        {
          namespace: METRIC_NAMESPACE_DEFAULT,
          name: METRIC_NAMES.ConnectionRejected,
          service: SERVICE_NAME_DEFAULT,
          value: 1,
        },
      ],
    );
    const warning = records.find((r) => r.level === "WARN");
    assert.equal(warning?.vpcEndpointId, FOREIGN);
    assert.equal(warning?.message, "foreign connection request rejected");
  });

  it("never rejects our recorded endpoint, however long it has waited", async () => {
    ec2
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolves({ VpcEndpointConnections: [pending(OURS, minutesAgo(60 * 24 * 13))] });
    await invoke();
    assert.equal(ec2.commandCalls(RejectVpcEndpointConnectionsCommand).length, 0);
  });

  it("leaves a young foreign request pending and counts it as left", async () => {
    ec2
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolves({ VpcEndpointConnections: [pending(FOREIGN, minutesAgo(2))] });
    const { records } = await invoke();
    assert.equal(ec2.commandCalls(RejectVpcEndpointConnectionsCommand).length, 0);
    assert.deepEqual(
      metricsOf(records).map((m) => m.name),
      [METRIC_NAMES.ConnectionLeftPending],
    );
  });

  it("with no id recorded (parameter missing) waits the grace period, then rejects", async () => {
    ssm.on(GetParameterCommand).rejects(new ParameterNotFound({ message: "x", $metadata: {} }));
    ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [pending(FOREIGN, OLD)] });
    await invoke();
    assert.equal(ec2.commandCalls(RejectVpcEndpointConnectionsCommand).length, 0, "inside the grace period");
    ec2
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolves({ VpcEndpointConnections: [pending(FOREIGN, minutesAgo(REJECTION_TIMING.graceSeconds / 60 + 1))] });
    await invoke();
    assert.deepEqual(ec2.commandCalls(RejectVpcEndpointConnectionsCommand)[0].args[0].input.VpcEndpointIds, [FOREIGN]);
  });

  it("re-reads the recorded id before rejecting: an id recorded meanwhile saves its endpoint", async () => {
    ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [pending(FOREIGN, OLD)] });
    ssm
      .on(GetParameterCommand)
      .resolvesOnce({ Parameter: { Value: OURS } })
      .resolves({ Parameter: { Value: `${OURS},${FOREIGN}` } });
    await invoke();
    assert.equal(ssm.commandCalls(GetParameterCommand).length, 2);
    assert.equal(ec2.commandCalls(RejectVpcEndpointConnectionsCommand).length, 0);
  });

  it("follows DescribeVpcEndpointConnections pages", async () => {
    ec2
      .on(DescribeVpcEndpointConnectionsCommand)
      .resolvesOnce({ VpcEndpointConnections: [pending(OURS, OLD)], NextToken: "page-2" })
      .resolves({ VpcEndpointConnections: [pending(FOREIGN, OLD)] });
    await invoke();
    assert.equal(ec2.commandCalls(DescribeVpcEndpointConnectionsCommand)[1].args[0].input.NextToken, "page-2");
    assert.deepEqual(ec2.commandCalls(RejectVpcEndpointConnectionsCommand)[0].args[0].input.VpcEndpointIds, [FOREIGN]);
  });

  it("logs, without throwing, a request EC2 did not reject (no longer pending)", async () => {
    ec2.on(DescribeVpcEndpointConnectionsCommand).resolves({ VpcEndpointConnections: [pending(FOREIGN, OLD)] });
    ec2
      .on(RejectVpcEndpointConnectionsCommand)
      .resolves({ Unsuccessful: [{ ResourceId: FOREIGN, Error: { Code: "InvalidState", Message: "x" } }] });
    const { result, records } = await invoke();
    assert.equal(result.status, "fulfilled");
    assert.equal(records.find((r) => r.level === "WARN")?.code, "InvalidState");
    assert.equal(
      metricsOf(records).some((m) => m.name === METRIC_NAMES.ConnectionRejected),
      false,
    );
  });

  it("throws and counts the failure when AWS refuses (so SNS's async invoke retries)", async () => {
    ec2.on(DescribeVpcEndpointConnectionsCommand).rejects(ec2Error("UnauthorizedOperation", "not allowed", 403));
    const { result, records } = await invoke({ time: NOW.toISOString() } as RejecterEvent);
    assert.equal(result.status, "rejected");
    assert.deepEqual(
      metricsOf(records).map((m) => m.name),
      [METRIC_NAMES.ReconcileFailed],
    );
  });

  it("refuses to run without its service, and refuses a settle window shorter than the default", async () => {
    setEnv({ [ENV_VARS.SERVICE_ID]: undefined });
    const missing = await invoke();
    assert.match(String((missing.result as PromiseRejectedResult).reason), /SERVICE_ID is required/);
    setEnv({ [ENV_VARS.SERVICE_ID]: SERVICE, [ENV_VARS.SETTLE_SECONDS]: "60" });
    const { result } = await invoke();
    assert.match(
      String((result as PromiseRejectedResult).reason),
      /SETTLE_SECONDS = 60: must be a whole number of seconds ≥ 1800/,
    );
    assert.equal(ec2.commandCalls(DescribeVpcEndpointConnectionsCommand).length, 0);
  });
});
