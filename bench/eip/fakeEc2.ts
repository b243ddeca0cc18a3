import {
  AssociateAddressCommand,
  type AssociateAddressCommandInput,
  type AssociateAddressCommandOutput,
  DescribeAddressesCommand,
  type DescribeAddressesCommandInput,
  type DescribeAddressesCommandOutput,
  EC2Client,
  type Tag,
} from "@aws-sdk/client-ec2";
import {
  AutoScalingClient,
  CompleteLifecycleActionCommand,
  type CompleteLifecycleActionCommandInput,
  type CompleteLifecycleActionCommandOutput,
  DescribeAutoScalingInstancesCommand,
  type DescribeAutoScalingInstancesCommandInput,
  type DescribeAutoScalingInstancesCommandOutput,
} from "@aws-sdk/client-auto-scaling";
import { mockClient } from "aws-sdk-client-mock";
import { autoScalingError, ec2Error, noActiveLifecycleAction } from "./awsErrors";
import type { Clock } from "./clock";

interface FakeAddress {
  allocationId: string;
  publicIp: string;
  tags: Tag[];
  associationId?: string;
  instanceId?: string;
}

interface FakeInstance {
  /** Before this time EC2 does not know the id (InvalidInstanceID.NotFound): eventual consistency of new ids. */
  visibleAt: number;
  /** Before this time AssociateAddress answers IncorrectInstanceState, as for a pending instance. */
  associableAt: number;
  terminated: boolean;
}

interface FakeLifecycleAction {
  instanceId: string;
  autoScalingGroupName: string;
  lifecycleHookName: string;
  result?: "CONTINUE" | "ABANDON";
}

export interface FakeEc2Options {
  clock: Clock;
  /** Drives latencies; seed it for a replayable interleaving. */
  random: () => number;
  /** Simulated round trip of every call, drawn uniformly from [min, max] ms. */
  latencyMs?: [number, number];
}

export interface LaunchedInstance {
  instanceId: string;
  /** One open action per launch hook of the group, in the order the hooks were given. */
  actions: { lifecycleHookName: string; lifecycleActionToken: string }[];
}

export type FakeOperation =
  "DescribeAddresses" | "AssociateAddress" | "CompleteLifecycleAction" | "DescribeAutoScalingInstances";

/**
 * A stateful, in-memory model of the few EC2 and Auto Scaling calls the assigner makes, with the
 * semantics that matter for races: an AssociateAddress is applied atomically halfway through its latency
 * (so listings go stale in flight); in a VPC it reassociates unless AllowReassociation is false, in which
 * case an associated address fails with Resource.AlreadyAssociated; an instance holds one address, so a
 * second association displaces the first; ABANDON terminates the instance and frees its address.
 */
export class FakeEc2 {
  readonly addresses = new Map<string, FakeAddress>();
  readonly instances = new Map<string, FakeInstance>();
  readonly actions = new Map<string, FakeLifecycleAction>();
  readonly calls: Record<FakeOperation, number> = {
    DescribeAddresses: 0,
    AssociateAddress: 0,
    CompleteLifecycleAction: 0,
    DescribeAutoScalingInstances: 0,
  };
  /** Error answers by code, e.g. how often a launch lost a race (Resource.AlreadyAssociated). */
  readonly errors: Record<string, number> = {};
  /** Associations that moved an address away from another instance: each is a lost egress address. */
  reassociations = 0;
  /** Associations that replaced another pool address on the same instance (that address went back to free). */
  displacements = 0;
  private nextAssociation = 0;

  constructor(private readonly options: FakeEc2Options) {}

  addPool(size: number, tagKey: string): this {
    for (let i = 0; i < size; i++) {
      const n = this.addresses.size;
      const allocationId = `eipalloc-${String(n).padStart(17, "0")}`;
      this.addresses.set(allocationId, {
        allocationId,
        publicIp: `198.51.${Math.floor(n / 256)}.${n % 256}`,
        tags: [{ Key: tagKey, Value: "true" }],
      });
    }
    return this;
  }

  /** An address associated outside the pool's life (e.g. a stale tag) for tests of "free" semantics. */
  addAddress(address: FakeAddress): this {
    this.addresses.set(address.allocationId, { ...address });
    return this;
  }

  /**
   * A launch into a group with these launch hooks: one action per hook, all open at once (the instance
   * waits in Pending:Wait until every hook is completed; an ABANDON from any of them terminates it).
   */
  launch(
    instanceId: string,
    group: {
      autoScalingGroupName: string;
      lifecycleHookNames: readonly string[];
      pendingMs?: number;
      notFoundMs?: number;
    },
  ): LaunchedInstance {
    const { pendingMs = 0, notFoundMs = 0, autoScalingGroupName, lifecycleHookNames } = group;
    const now = this.options.clock.now();
    this.instances.set(instanceId, { visibleAt: now + notFoundMs, associableAt: now + pendingMs, terminated: false });
    const actions = lifecycleHookNames.map((lifecycleHookName, i) => {
      // The first hook's token is the one launchEvent() writes by default.
      const lifecycleActionToken = i === 0 ? `token-${instanceId}` : `token-${instanceId}-${i}`;
      this.actions.set(lifecycleActionToken, { instanceId, autoScalingGroupName, lifecycleHookName });
      return { lifecycleHookName, lifecycleActionToken };
    });
    return { instanceId, actions };
  }

  /** The address an instance holds now, if any. */
  addressOf(instanceId: string): FakeAddress | undefined {
    return [...this.addresses.values()].find((address) => address.instanceId === instanceId);
  }

  /** ABANDON once any hook abandoned the launch, CONTINUE once every hook continued it, else still open. */
  resultOf(instanceId: string): "CONTINUE" | "ABANDON" | undefined {
    const results = [...this.actions.values()]
      .filter((action) => action.instanceId === instanceId)
      .map((action) => action.result);
    if (results.includes("ABANDON")) return "ABANDON";
    return results.length > 0 && results.every((result) => result === "CONTINUE") ? "CONTINUE" : undefined;
  }

  totalCalls(): number {
    return Object.values(this.calls).reduce((sum, n) => sum + n, 0);
  }

  /** Routes both SDK clients (every instance, including module-scope ones) to this model. */
  install(): { restore(): void } {
    const ec2 = mockClient(EC2Client);
    const autoScaling = mockClient(AutoScalingClient);
    ec2.onAnyCommand().rejects(new Error("FakeEc2: command not modelled"));
    autoScaling.onAnyCommand().rejects(new Error("FakeEc2: command not modelled"));
    ec2.on(DescribeAddressesCommand).callsFake((input: DescribeAddressesCommandInput) => this.describeAddresses(input));
    ec2.on(AssociateAddressCommand).callsFake((input: AssociateAddressCommandInput) => this.associateAddress(input));
    autoScaling
      .on(CompleteLifecycleActionCommand)
      .callsFake((input: CompleteLifecycleActionCommandInput) => this.completeLifecycleAction(input));
    autoScaling
      .on(DescribeAutoScalingInstancesCommand)
      .callsFake((input: DescribeAutoScalingInstancesCommandInput) => this.describeAutoScalingInstances(input));
    return {
      restore() {
        ec2.restore();
        autoScaling.restore();
      },
    };
  }

  async describeAddresses(input: DescribeAddressesCommandInput): Promise<DescribeAddressesCommandOutput> {
    return this.call("DescribeAddresses", () => {
      const matches = (address: FakeAddress) =>
        (input.Filters ?? []).every((filter) => {
          if (filter.Name === "tag-key") return address.tags.some((tag) => filter.Values?.includes(tag.Key ?? ""));
          if (filter.Name?.startsWith("tag:")) {
            const key = filter.Name.slice(4);
            return address.tags.some((tag) => tag.Key === key && filter.Values?.includes(tag.Value ?? ""));
          }
          throw ec2Error("InvalidParameterValue", `FakeEc2 does not model filter ${filter.Name}`);
        });
      const Addresses = [...this.addresses.values()].filter(matches).map((address) => ({
        AllocationId: address.allocationId,
        PublicIp: address.publicIp,
        Domain: "vpc" as const,
        AssociationId: address.associationId,
        InstanceId: address.instanceId,
        Tags: address.tags.map((tag) => ({ ...tag })),
      }));
      return { Addresses, $metadata: {} };
    });
  }

  async associateAddress(input: AssociateAddressCommandInput): Promise<AssociateAddressCommandOutput> {
    return this.call("AssociateAddress", () => {
      const address = input.AllocationId ? this.addresses.get(input.AllocationId) : undefined;
      if (!address)
        throw ec2Error("InvalidAllocationID.NotFound", `The allocation ID '${input.AllocationId}' does not exist`);
      const instance = input.InstanceId ? this.instances.get(input.InstanceId) : undefined;
      if (!instance || !input.InstanceId || this.options.clock.now() < instance.visibleAt) {
        throw ec2Error("InvalidInstanceID.NotFound", `The instance ID '${input.InstanceId}' does not exist`);
      }
      if (instance.terminated || this.options.clock.now() < instance.associableAt) {
        throw ec2Error(
          "IncorrectInstanceState",
          `The instance '${input.InstanceId}' is not in a valid state for this operation.`,
        );
      }
      if (address.instanceId === input.InstanceId) return { AssociationId: address.associationId, $metadata: {} };
      if (address.associationId) {
        // EC2-VPC: reassociation is automatic unless the caller says AllowReassociation=false.
        if (input.AllowReassociation === false) {
          throw ec2Error(
            "Resource.AlreadyAssociated",
            `resource ${address.allocationId} is already associated with associate-id ${address.associationId}`,
          );
        }
        this.reassociations++;
      }
      const previous = this.addressOf(input.InstanceId);
      if (previous) this.displacements++;
      this.disassociate(previous);
      address.associationId = `eipassoc-${String(this.nextAssociation++).padStart(17, "0")}`;
      address.instanceId = input.InstanceId;
      return { AssociationId: address.associationId, $metadata: {} };
    });
  }

  async completeLifecycleAction(
    input: CompleteLifecycleActionCommandInput,
  ): Promise<CompleteLifecycleActionCommandOutput> {
    return this.call("CompleteLifecycleAction", () => {
      const action = input.LifecycleActionToken ? this.actions.get(input.LifecycleActionToken) : undefined;
      const matches =
        action &&
        !action.result &&
        // Another hook's ABANDON ended the launch, and with it this action.
        !this.instances.get(action.instanceId)?.terminated &&
        action.instanceId === input.InstanceId &&
        action.autoScalingGroupName === input.AutoScalingGroupName &&
        action.lifecycleHookName === input.LifecycleHookName;
      if (!matches) throw noActiveLifecycleAction(input.InstanceId ?? "");
      if (input.LifecycleActionResult !== "CONTINUE" && input.LifecycleActionResult !== "ABANDON") {
        throw autoScalingError("ValidationError", `invalid LifecycleActionResult ${input.LifecycleActionResult}`);
      }
      action.result = input.LifecycleActionResult;
      if (action.result === "ABANDON") this.terminate(action.instanceId);
      return { $metadata: {} };
    });
  }

  /** The group's lifecycle state of its instances: Pending:Wait while a hook is open, then InService or Terminating. */
  async describeAutoScalingInstances(
    input: DescribeAutoScalingInstancesCommandInput,
  ): Promise<DescribeAutoScalingInstancesCommandOutput> {
    return this.call("DescribeAutoScalingInstances", () => {
      const AutoScalingInstances = (input.InstanceIds ?? []).flatMap((instanceId) => {
        const actions = [...this.actions.values()].filter((action) => action.instanceId === instanceId);
        if (!this.instances.has(instanceId) || actions.length === 0) return [];
        const result = this.resultOf(instanceId);
        const LifecycleState =
          result === "ABANDON" ? "Terminating" : result === "CONTINUE" ? "InService" : "Pending:Wait";
        const { autoScalingGroupName: AutoScalingGroupName } = actions[0];
        return [{ InstanceId: instanceId, AutoScalingGroupName, LifecycleState }];
      });
      return { AutoScalingInstances, $metadata: {} } as DescribeAutoScalingInstancesCommandOutput;
    });
  }

  /** Latency split around an atomic state change: request in flight, applied, response in flight. */
  private async call<T>(operation: FakeOperation, apply: () => T): Promise<T> {
    this.calls[operation]++;
    const [min, max] = this.options.latencyMs ?? [0, 0];
    const latency = min + this.options.random() * (max - min);
    await this.options.clock.sleep(latency / 2);
    try {
      return apply();
    } catch (error) {
      const code = (error as Error).name;
      this.errors[code] = (this.errors[code] ?? 0) + 1;
      throw error;
    } finally {
      await this.options.clock.sleep(latency / 2);
    }
  }

  private terminate(instanceId: string): void {
    const instance = this.instances.get(instanceId);
    if (instance) instance.terminated = true;
    this.disassociate(this.addressOf(instanceId));
  }

  private disassociate(address: FakeAddress | undefined): void {
    if (!address) return;
    address.associationId = undefined;
    address.instanceId = undefined;
  }
}
