import { AssociateAddressCommand, DescribeAddressesCommand, EC2Client } from "@aws-sdk/client-ec2";
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  DescribeAutoScalingInstancesCommand,
} from "@aws-sdk/client-auto-scaling";
import type { PoolAddress } from "./decisions";
import type { LaunchPorts, LifecycleActionResult } from "./launch";
import type { LifecycleAction } from "./lifecycleEvent";

/**
 * Throttling (RequestLimitExceeded, Throttling), 5xx and network errors are retried by the SDK's standard
 * strategy (exponential backoff with jitter) up to this many attempts per call; past that the error
 * propagates, the invocation fails and the async invoke retries it.
 */
export const SDK_MAX_ATTEMPTS = 5;

/** Created once per container, reused by every invocation it serves. Region comes from AWS_REGION. */
export const ec2Client = new EC2Client({ maxAttempts: SDK_MAX_ATTEMPTS, retryMode: "standard" });
export const autoScalingClient = new AutoScalingClient({ maxAttempts: SDK_MAX_ATTEMPTS, retryMode: "standard" });

/** Every address carrying the pool tag key, whatever its value. DescribeAddresses is not paginated. */
export async function describePoolAddresses(eipTagKey: string): Promise<PoolAddress[]> {
  const { Addresses = [] } = await ec2Client.send(
    new DescribeAddressesCommand({ Filters: [{ Name: "tag-key", Values: [eipTagKey] }] }),
  );
  return Addresses.flatMap(({ AllocationId, PublicIp, AssociationId, InstanceId }) =>
    AllocationId
      ? [{ allocationId: AllocationId, publicIp: PublicIp, associationId: AssociationId, instanceId: InstanceId }]
      : [],
  );
}

/**
 * AllowReassociation=false: in a VPC, EC2 otherwise moves an associated address silently, taking it from
 * the instance that holds it. With false it fails with Resource.AlreadyAssociated instead.
 */
export async function associateAddress(allocationId: string, instanceId: string): Promise<void> {
  await ec2Client.send(
    new AssociateAddressCommand({ AllocationId: allocationId, InstanceId: instanceId, AllowReassociation: false }),
  );
}

export async function completeLifecycleAction(action: LifecycleAction, result: LifecycleActionResult): Promise<void> {
  await autoScalingClient.send(
    new CompleteLifecycleActionCommand({
      AutoScalingGroupName: action.autoScalingGroupName,
      LifecycleHookName: action.lifecycleHookName,
      LifecycleActionToken: action.lifecycleActionToken,
      InstanceId: action.instanceId,
      LifecycleActionResult: result,
    }),
  );
}

/**
 * The group's view of the launch. Pending and Pending:Wait: hooks still open. Anything else (Terminating,
 * Pending:Proceed, InService, …) or no longer listed: the launch no longer waits on this function.
 */
export async function launchIsWaiting(action: LifecycleAction): Promise<boolean> {
  const { AutoScalingInstances = [] } = await autoScalingClient.send(
    new DescribeAutoScalingInstancesCommand({ InstanceIds: [action.instanceId] }),
  );
  const state = AutoScalingInstances.find((instance) => instance.InstanceId === action.instanceId)?.LifecycleState;
  return state === "Pending" || state === "Pending:Wait";
}

/** The SDK side of the handler's ports. */
export const awsCalls: Pick<
  LaunchPorts,
  "listPool" | "associateAddress" | "completeLifecycleAction" | "launchIsWaiting"
> = {
  listPool: describePoolAddresses,
  associateAddress,
  completeLifecycleAction,
  launchIsWaiting,
};
