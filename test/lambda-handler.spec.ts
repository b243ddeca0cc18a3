import { strict as assert } from "node:assert";
import { type Address, AssociateAddressCommand, DescribeAddressesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingInstancesCommand,
} from "@aws-sdk/client-auto-scaling";
import { type AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { SDK_MAX_ATTEMPTS, autoScalingClient, awsCalls, ec2Client } from "../lambda/aws";
import {
  ENV_VARS,
  FUNCTION_TIMEOUT_SECONDS,
  METRIC_NAMES,
  METRIC_NAMESPACE_DEFAULT,
  SERVICE_NAME_DEFAULT,
} from "../lambda/contract";
import { ASSIGNMENT_POLICY } from "../lambda/decisions";
import { type HandlerResult, type LifecycleEvent, createHandler, handler } from "../lambda/index";
import { autoScalingError, ec2Error, noActiveLifecycleAction } from "../bench/eip/awsErrors";
import { captureOutput } from "../bench/eip/captureOutput";
import { TEST_ENV, setEnv } from "../bench/eip/env";
import { TEST_ASG, TEST_HOOK, TEST_TAG_KEY, launchEvent, testNotificationEvent } from "../bench/eip/lifecycleEvents";

const INSTANCE = "i-0123456789abcdef0";
const OTHER_INSTANCE = "i-0fedcba9876543210";
const TOKEN = `token-${INSTANCE}`;

/** A pool address as DescribeAddresses returns it; `heldBy` associates it with an instance. */
function poolAddress(allocationId: string, heldBy?: string, extraTags: Address["Tags"] = []): Address {
  return {
    AllocationId: allocationId,
    PublicIp: `203.0.113.${allocationId.length}`,
    Domain: "vpc",
    ...(heldBy ? { AssociationId: `eipassoc-${allocationId}`, InstanceId: heldBy } : {}),
    Tags: [{ Key: TEST_TAG_KEY, Value: "true" }, ...extraTags],
  };
}

/** The exact CompleteLifecycleAction input the hook expects for this instance's action. */
function completion(result: "CONTINUE" | "ABANDON") {
  return {
    AutoScalingGroupName: TEST_ASG,
    LifecycleHookName: TEST_HOOK,
    LifecycleActionToken: TOKEN,
    InstanceId: INSTANCE,
    LifecycleActionResult: result,
  };
}

function associationOf(allocationId: string) {
  return { AllocationId: allocationId, InstanceId: INSTANCE, AllowReassociation: false };
}

/** A handler whose backoff waits are recorded instead of slept, for the retry rules. */
function handlerWithRecordedWaits(): { handle: typeof handler; waits: number[] } {
  const waits: number[] = [];
  const handle = createHandler({ ...awsCalls, sleep: async (ms) => void waits.push(ms), random: () => 0.5 });
  return { handle, waits };
}

async function invoke(event: LifecycleEvent = launchEvent(), handle = handler) {
  return captureOutput<HandlerResult>(() => handle(event));
}

function fulfilled<T>(result: PromiseSettledResult<T>): T {
  if (result.status === "rejected") throw result.reason;
  return result.value;
}

function rejection<T>(result: PromiseSettledResult<T>): Error {
  assert.equal(result.status, "rejected", "expected the handler to throw");
  return (result as PromiseRejectedResult).reason as Error;
}

type LogRecord = Record<string, unknown>;
const logLines = (records: LogRecord[], level: string) => records.filter((record) => record.level === level);

/** The EMF blobs Powertools wrote, reduced to what an alarm matches on. */
function emittedMetrics(records: LogRecord[]) {
  return records.flatMap((record) => {
    const emf = record._aws as
      | { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> }
      | undefined;
    if (!emf) return [];
    return emf.CloudWatchMetrics.flatMap(({ Namespace, Dimensions, Metrics }) =>
      Metrics.map(({ Name }) => ({
        namespace: Namespace,
        dimensions: Dimensions,
        service: record.service,
        name: Name,
        value: record[Name],
      })),
    );
  });
}

describe("EIP assigner handler", () => {
  let ec2: AwsClientStub<EC2Client>;
  let autoScaling: AwsClientStub<AutoScalingClient>;
  let restoreEnv: () => void;

  beforeEach(() => {
    restoreEnv = setEnv(TEST_ENV);
    ec2 = mockClient(EC2Client);
    autoScaling = mockClient(AutoScalingClient);
    // Any call a test did not expect fails the test instead of returning undefined.
    ec2.onAnyCommand().rejects(new Error("unexpected EC2 call"));
    autoScaling.onAnyCommand().rejects(new Error("unexpected Auto Scaling call"));
    autoScaling.on(CompleteLifecycleActionCommand).resolves({});
  });

  afterEach(() => {
    ec2.restore();
    autoScaling.restore();
    restoreEnv();
  });

  const awsCallCount = () => ec2.calls().length + autoScaling.calls().length;
  const describeCalls = () => ec2.commandCalls(DescribeAddressesCommand).map((call) => call.args[0].input);
  const associateCalls = () => ec2.commandCalls(AssociateAddressCommand).map((call) => call.args[0].input);
  const completeCalls = () =>
    autoScaling.commandCalls(CompleteLifecycleActionCommand).map((call) => call.args[0].input);

  describe("events that are not this group's launch action", () => {
    const foreignEvents: Array<[string, LifecycleEvent]> = [
      ["an autoscaling:TEST_NOTIFICATION", testNotificationEvent()],
      ["a launch of another Auto Scaling group", launchEvent({ AutoScalingGroupName: "someone-elses-asg" })],
      ["a launch action of another lifecycle hook", launchEvent({ LifecycleHookName: "another-hook" })],
      [
        "a terminate lifecycle action",
        launchEvent(
          { LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING" },
          "EC2 Instance-terminate Lifecycle Action",
        ),
      ],
      [
        "a terminate transition under the launch detail-type",
        launchEvent({ LifecycleTransition: "autoscaling:EC2_INSTANCE_TERMINATING" }),
      ],
    ];
    for (const [name, event] of foreignEvents) {
      it(`acknowledges and ignores ${name}, without any AWS call or error`, async () => {
        const { result, records } = await invoke(event);
        assert.equal(fulfilled(result).outcome, "ignored");
        assert.equal(awsCallCount(), 0);
        assert.deepEqual([...logLines(records, "ERROR"), ...logLines(records, "WARN")], []);
      });
    }
  });

  it("fails loudly, before any AWS call, when EIP_TAG_KEY is unset", async () => {
    const restore = setEnv({ [ENV_VARS.EIP_TAG_KEY]: undefined });
    try {
      const { result } = await invoke();
      assert.match(rejection(result).message, /EIP_TAG_KEY/);
      assert.equal(awsCallCount(), 0);
    } finally {
      restore();
    }
  });

  it("lists the pool by its tag key", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
    ec2.on(AssociateAddressCommand).resolves({ AssociationId: "eipassoc-1" });
    fulfilled((await invoke()).result);
    assert.deepEqual(describeCalls(), [{ Filters: [{ Name: "tag-key", Values: [TEST_TAG_KEY] }] }]);
  });

  it("associates a free pool address with AllowReassociation false, then continues the launch", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
    ec2.on(AssociateAddressCommand).resolves({ AssociationId: "eipassoc-1" });
    const outcome = fulfilled((await invoke()).result);
    assert.deepEqual(associateCalls(), [associationOf("eipalloc-a")]);
    assert.deepEqual(completeCalls(), [completion("CONTINUE")]);
    assert.equal(outcome.outcome, "assigned");
  });

  it("continues without a second association when the instance already holds a pool address", async () => {
    ec2
      .on(DescribeAddressesCommand)
      .resolves({ Addresses: [poolAddress("eipalloc-free"), poolAddress("eipalloc-mine", INSTANCE)] });
    const { result, records } = await invoke();
    assert.deepEqual(associateCalls(), []);
    assert.deepEqual(completeCalls(), [completion("CONTINUE")]);
    assert.deepEqual(
      emittedMetrics(records).map((metric) => metric.name),
      [METRIC_NAMES.EipAlreadyHeld],
    );
    assert.equal(fulfilled(result).outcome, "already-held");
  });

  it("decides that an address is free from its AssociationId, never from a tag", async () => {
    ec2.on(DescribeAddressesCommand).resolves({
      Addresses: [
        // Associated with a network interface, not an instance: taken, though no instance id says so.
        { ...poolAddress("eipalloc-on-eni"), AssociationId: "eipassoc-eni", NetworkInterfaceId: "eni-1" },
        // A tag left by a terminated instance: stale, the address is free.
        poolAddress("eipalloc-stale-tag", undefined, [{ Key: "assigned-to", Value: OTHER_INSTANCE }]),
      ],
    });
    ec2.on(AssociateAddressCommand).resolves({ AssociationId: "eipassoc-1" });
    fulfilled((await invoke()).result);
    assert.deepEqual(associateCalls(), [associationOf("eipalloc-stale-tag")]);
  });

  it("moves on to the next candidate when an address is taken meanwhile", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a"), poolAddress("eipalloc-b")] });
    ec2
      .on(AssociateAddressCommand)
      .rejectsOnce(ec2Error("Resource.AlreadyAssociated", "resource eipalloc-x is already associated"))
      .resolves({ AssociationId: "eipassoc-1" });
    const outcome = fulfilled((await invoke()).result);
    const [first, second] = associateCalls();
    assert.notEqual(first.AllocationId, second.AllocationId);
    assert.deepEqual([first, second], [associationOf(first.AllocationId!), associationOf(second.AllocationId!)]);
    assert.equal(describeCalls().length, 1);
    assert.deepEqual(completeCalls(), [completion("CONTINUE")]);
    assert.equal(outcome.outcome === "assigned" && outcome.allocationId, second.AllocationId);
  });

  it("lists the pool once more before giving up, and takes an address freed meanwhile", async () => {
    ec2
      .on(DescribeAddressesCommand)
      .resolvesOnce({ Addresses: [poolAddress("eipalloc-a")] })
      .resolves({ Addresses: [poolAddress("eipalloc-a", OTHER_INSTANCE), poolAddress("eipalloc-freed")] });
    ec2
      .on(AssociateAddressCommand)
      .rejectsOnce(ec2Error("Resource.AlreadyAssociated"))
      .resolves({ AssociationId: "eipassoc-1" });
    fulfilled((await invoke()).result);
    assert.equal(describeCalls().length, 2);
    assert.deepEqual(associateCalls(), [associationOf("eipalloc-a"), associationOf("eipalloc-freed")]);
    assert.deepEqual(completeCalls(), [completion("CONTINUE")]);
  });

  it("abandons the launch when the pool is empty, after one fresh listing", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a", OTHER_INSTANCE)] });
    const { result } = await invoke();
    assert.equal(describeCalls().length, 2);
    assert.deepEqual(associateCalls(), []);
    assert.deepEqual(completeCalls(), [completion("ABANDON")]);
    assert.equal(fulfilled(result).outcome, "pool-exhausted");
  });

  it("abandons the launch when the last free address is taken first and a fresh listing shows none", async () => {
    ec2
      .on(DescribeAddressesCommand)
      .resolvesOnce({ Addresses: [poolAddress("eipalloc-a")] })
      .resolves({ Addresses: [poolAddress("eipalloc-a", OTHER_INSTANCE)] });
    ec2.on(AssociateAddressCommand).rejects(ec2Error("Resource.AlreadyAssociated"));
    fulfilled((await invoke()).result);
    assert.deepEqual(associateCalls(), [associationOf("eipalloc-a")]);
    assert.deepEqual(completeCalls(), [completion("ABANDON")]);
  });

  it("writes one structured error line and the PoolExhausted metric (EMF, service dimension) when it abandons", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [] });
    const { records } = await invoke();
    const errors = logLines(records, "ERROR");
    assert.equal(errors.length, 1);
    assert.equal(errors[0].instanceId, INSTANCE);
    assert.equal(errors[0].outcome, "pool-exhausted");
    assert.equal(errors[0].lifecycleActionResult, "ABANDON");
    assert.deepEqual(emittedMetrics(records), [
      {
        namespace: METRIC_NAMESPACE_DEFAULT,
        dimensions: [["service"]],
        service: process.env[ENV_VARS.POWERTOOLS_SERVICE_NAME] || SERVICE_NAME_DEFAULT,
        name: METRIC_NAMES.PoolExhausted,
        value: 1,
      },
    ]);
  });

  it("logs instance, allocation id, attempts and outcome as structured JSON, and counts EipAssigned", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
    ec2.on(AssociateAddressCommand).resolves({ AssociationId: "eipassoc-1" });
    const { records } = await invoke();
    const [line] = logLines(records, "INFO");
    assert.equal(line.instanceId, INSTANCE);
    assert.equal(line.allocationId, "eipalloc-a");
    assert.equal(line.attempts, 1);
    assert.equal(line.outcome, "assigned");
    assert.equal(line.lifecycleActionResult, "CONTINUE");
    assert.deepEqual(
      emittedMetrics(records).map(({ name, dimensions }) => ({ name, dimensions })),
      [{ name: METRIC_NAMES.EipAssigned, dimensions: [["service"]] }],
    );
  });

  it("abandons the launch explicitly when EC2 never knows the instance within the whole wait", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
    ec2
      .on(AssociateAddressCommand)
      .rejects(ec2Error("InvalidInstanceID.NotFound", `The instance ID '${INSTANCE}' does not exist`));
    const { handle, waits } = handlerWithRecordedWaits();
    const { result, records } = await invoke(launchEvent(), handle);
    assert.equal(fulfilled(result).outcome, "instance-gone");
    // Right after launch NotFound is EC2's eventual consistency: it is waited out like a pending instance first.
    assert.ok(waits.length > 5, `waits: ${waits}`);
    assert.ok(waits.reduce((sum, ms) => sum + ms, 0) <= ASSIGNMENT_POLICY.waitBudgetMs!);
    assert.deepEqual(completeCalls(), [completion("ABANDON")]);
    assert.equal(logLines(records, "WARN")[0].outcome, "instance-gone");
    assert.ok(emittedMetrics(records).some((metric) => metric.name === METRIC_NAMES.InstanceGone));
  });

  it("logs and returns, without throwing, when the lifecycle action was already completed", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-mine", INSTANCE)] });
    autoScaling.on(CompleteLifecycleActionCommand).rejects(noActiveLifecycleAction(INSTANCE));
    const { result, records } = await invoke();
    const outcome = fulfilled(result);
    assert.equal("completion" in outcome && outcome.completion, "already-completed");
    assert.equal(logLines(records, "WARN")[0].completion, "already-completed");
    assert.ok(emittedMetrics(records).some((metric) => metric.name === METRIC_NAMES.ActionAlreadyCompleted));
  });

  it("retries the same address with growing backoff while the instance is pending", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
    ec2
      .on(AssociateAddressCommand)
      .rejectsOnce(ec2Error("IncorrectInstanceState", "The instance is not in a valid state for this operation."))
      .rejectsOnce(
        ec2Error("InvalidInstanceID", `The instance ID '${INSTANCE}' is not in a valid state for this operation.`),
      )
      .resolves({ AssociationId: "eipassoc-1" });
    const { handle, waits } = handlerWithRecordedWaits();
    const outcome = fulfilled((await invoke(launchEvent(), handle)).result);
    assert.deepEqual(associateCalls(), [
      associationOf("eipalloc-a"),
      associationOf("eipalloc-a"),
      associationOf("eipalloc-a"),
    ]);
    assert.equal(waits.length, 2);
    assert.ok(waits[0] > 0 && waits[1] > waits[0], `waits should grow: ${waits}`);
    assert.deepEqual(completeCalls(), [completion("CONTINUE")]);
    assert.equal(outcome.outcome, "assigned");
  });

  /** The group's lifecycle state of INSTANCE, as DescribeAutoScalingInstances reports it. */
  const groupSays = (LifecycleState: string) =>
    autoScaling.on(DescribeAutoScalingInstancesCommand).resolves({
      AutoScalingInstances: [{ InstanceId: INSTANCE, AutoScalingGroupName: TEST_ASG, LifecycleState } as never],
    });

  it("throws after bounded retries when the instance never becomes associable", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
    ec2.on(AssociateAddressCommand).rejects(ec2Error("IncorrectInstanceState"));
    groupSays("Pending:Wait");
    const { handle, waits } = handlerWithRecordedWaits();
    const { result } = await invoke(launchEvent(), handle);
    assert.equal(rejection(result).name, "InstanceNotReadyError");
    // Bounded by the wait budget, well inside the function timeout (the async invoke retries after).
    const waited = waits.reduce((sum, ms) => sum + ms, 0);
    assert.ok(
      waited <= ASSIGNMENT_POLICY.waitBudgetMs! &&
        waited > ASSIGNMENT_POLICY.waitBudgetMs! - ASSIGNMENT_POLICY.backoffCapMs,
      `waited ${waited} ms`,
    );
    assert.ok(ASSIGNMENT_POLICY.waitBudgetMs! / 1000 <= FUNCTION_TIMEOUT_SECONDS * 0.6);
    assert.ok(Math.max(...waits) <= ASSIGNMENT_POLICY.backoffCapMs);
    assert.deepEqual(completeCalls(), []);
  });

  it("ends without throwing when the instance never becomes associable because its launch is over (another hook abandoned it)", async () => {
    ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
    // A terminating instance answers like a pending one.
    ec2.on(AssociateAddressCommand).rejects(ec2Error("IncorrectInstanceState"));
    groupSays("Terminating");
    const { handle } = handlerWithRecordedWaits();
    const { result, records } = await invoke(launchEvent(), handle);
    const outcome = fulfilled(result);
    assert.equal(outcome.outcome, "launch-ended");
    assert.deepEqual(completeCalls(), [], "nothing left to complete");
    assert.equal(autoScaling.commandCalls(DescribeAutoScalingInstancesCommand).length, 1, "asked once, at the end");
    assert.deepEqual(logLines(records, "ERROR"), []);
    assert.equal(logLines(records, "WARN")[0].outcome, "launch-ended");
    assert.ok(emittedMetrics(records).some((metric) => metric.name === METRIC_NAMES.ActionAlreadyCompleted));
    assert.ok(!emittedMetrics(records).some((metric) => metric.name === METRIC_NAMES.AssignmentFailed));
  });

  describe("two launch hooks on one group (proxy.launchHookName changed, group created afterwards)", () => {
    const RENAMED = "estate/assign-egress-ip";
    beforeEach(() => {
      setEnv({ [ENV_VARS.LIFECYCLE_HOOK_NAMES]: `${TEST_HOOK},${RENAMED}` });
    });

    for (const hook of [TEST_HOOK, RENAMED]) {
      it(`settles the action of ${hook} from its own event, completing that hook`, async () => {
        ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
        ec2.on(AssociateAddressCommand).resolves({ AssociationId: "eipassoc-1" });
        const token = `token-${hook}`;
        const { result } = await invoke(launchEvent({ LifecycleHookName: hook, LifecycleActionToken: token }));
        assert.equal(fulfilled(result).outcome, "assigned");
        assert.deepEqual(completeCalls(), [
          { ...completion("CONTINUE"), LifecycleHookName: hook, LifecycleActionToken: token },
        ]);
      });
    }

    it("the second hook's event finds the address the first one associated and continues without another", async () => {
      ec2
        .on(DescribeAddressesCommand)
        .resolves({ Addresses: [poolAddress("eipalloc-a", INSTANCE), poolAddress("eipalloc-b")] });
      const { result } = await invoke(launchEvent({ LifecycleHookName: RENAMED }));
      assert.equal(fulfilled(result).outcome, "already-held");
      assert.deepEqual(associateCalls(), []);
      assert.equal(completeCalls()[0].LifecycleHookName, RENAMED);
    });

    it("still ignores a hook it was not given", async () => {
      const { result } = await invoke(launchEvent({ LifecycleHookName: "someone-elses-hook" }));
      assert.equal(fulfilled(result).outcome, "ignored");
      assert.equal(awsCallCount(), 0);
    });
  });

  describe("throttling and transient errors", () => {
    const failures: Array<[string, (error: Error) => void, Error]> = [
      [
        "DescribeAddresses throttled (RequestLimitExceeded)",
        (error) => ec2.on(DescribeAddressesCommand).rejects(error),
        ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503),
      ],
      [
        "AssociateAddress failing with a 5xx",
        (error) => ec2.on(AssociateAddressCommand).rejects(error),
        ec2Error("InternalError", "An internal error has occurred", 500),
      ],
      [
        "AssociateAddress failing on the network",
        (error) => ec2.on(AssociateAddressCommand).rejects(error),
        Object.assign(new Error("socket hang up"), { name: "TimeoutError", code: "ECONNRESET" }),
      ],
      [
        "CompleteLifecycleAction throttled (Throttling)",
        (error) => autoScaling.on(CompleteLifecycleActionCommand).rejects(error),
        autoScalingError("Throttling", "Rate exceeded", 400),
      ],
    ];
    for (const [name, arrange, error] of failures) {
      it(`throws on ${name} so the async invoke retries, with an error line and AssignmentFailed`, async () => {
        ec2.on(DescribeAddressesCommand).resolves({ Addresses: [poolAddress("eipalloc-a")] });
        ec2.on(AssociateAddressCommand).resolves({ AssociationId: "eipassoc-1" });
        arrange(error);
        const { result, records } = await invoke();
        assert.equal(rejection(result).name, error.name);
        assert.equal(logLines(records, "ERROR").length, 1);
        assert.deepEqual(
          emittedMetrics(records).map((metric) => metric.name),
          [METRIC_NAMES.AssignmentFailed],
        );
        // Never ABANDON on a transient error: the retry may succeed, and the hook's default covers the rest.
        assert.ok(completeCalls().every((input) => input.LifecycleActionResult === "CONTINUE"));
      });
    }

    it("lets the SDK retry throttling, 5xx and network errors a bounded number of times first", async () => {
      for (const client of [ec2Client, autoScalingClient]) {
        assert.equal(await client.config.maxAttempts(), SDK_MAX_ATTEMPTS);
        assert.equal(client.config.retryMode, "standard");
      }
    });

    it("settles on the retried invocation after a throttled completion, without a second association", async () => {
      ec2
        .on(DescribeAddressesCommand)
        .resolvesOnce({ Addresses: [poolAddress("eipalloc-a")] })
        .resolves({ Addresses: [poolAddress("eipalloc-a", INSTANCE)] });
      ec2.on(AssociateAddressCommand).resolves({ AssociationId: "eipassoc-1" });
      autoScaling
        .on(CompleteLifecycleActionCommand)
        .rejectsOnce(autoScalingError("Throttling", "Rate exceeded"))
        .resolves({});
      rejection((await invoke()).result);
      const retried = fulfilled((await invoke()).result);
      assert.equal(retried.outcome, "already-held");
      assert.deepEqual(associateCalls(), [associationOf("eipalloc-a")]);
      assert.deepEqual(completeCalls(), [completion("CONTINUE"), completion("CONTINUE")]);
    });
  });
});
