import { AssociateAddressCommand, DescribeAddressesCommand, EC2Client } from "@aws-sdk/client-ec2";
import { AutoScalingClient, CompleteLifecycleActionCommand } from "@aws-sdk/client-auto-scaling";
import type { LifecycleEvent } from "../../lambda/lifecycleEvent";

const ec2 = new EC2Client({});
const autoScaling = new AutoScalingClient({});

export interface ReferenceResult {
  instanceId: string;
  allocationId: string;
  lifecycleActionResult: "CONTINUE";
}

/**
 * A faithful port of the reference blog's Lambda, kept only to prove that the concurrency test and the
 * benchmark can tell a broken assigner from ours. Its algorithm, flaws included:
 * list the pool by tag; take the FIRST address without an AssociationId; AssociateAddress without
 * AllowReassociation (EC2-VPC then reassociates, silently taking an address another launch was just
 * given); complete CONTINUE; and raise, rather than ABANDON, when nothing is free.
 * No event filtering and no idempotency check either: it trusts every event it receives.
 */
export async function referenceHandler(event: LifecycleEvent, eipTagKey: string): Promise<ReferenceResult> {
  const detail = event.detail;
  const instanceId = detail.EC2InstanceId as string;

  const { Addresses = [] } = await ec2.send(
    new DescribeAddressesCommand({ Filters: [{ Name: "tag-key", Values: [eipTagKey] }] }),
  );
  const free = Addresses.find((address) => !address.AssociationId);
  if (!free?.AllocationId) throw new Error("No available EIP in the pool");

  await ec2.send(new AssociateAddressCommand({ InstanceId: instanceId, AllocationId: free.AllocationId }));

  await autoScaling.send(
    new CompleteLifecycleActionCommand({
      AutoScalingGroupName: detail.AutoScalingGroupName,
      LifecycleHookName: detail.LifecycleHookName,
      LifecycleActionToken: detail.LifecycleActionToken,
      InstanceId: instanceId,
      LifecycleActionResult: "CONTINUE",
    }),
  );
  return { instanceId, allocationId: free.AllocationId, lifecycleActionResult: "CONTINUE" };
}
