/**
 * A fake endpoint service behind the real SDK clients (aws-sdk-client-mock at the send boundary):
 * connections with states and creation times, the SSM parameter, and a random number of event-loop
 * turns on every call so concurrent invocations interleave (deterministically for a given seed).
 */
import {
  DescribeVpcEndpointConnectionsCommand,
  type DescribeVpcEndpointConnectionsCommandInput,
  type EC2Client,
  RejectVpcEndpointConnectionsCommand,
  type RejectVpcEndpointConnectionsCommandInput,
} from "@aws-sdk/client-ec2";
import { GetParameterCommand, ParameterNotFound, type SSMClient } from "@aws-sdk/client-ssm";
import { mockClient } from "aws-sdk-client-mock";
import { ec2Client, ssmClient } from "../../lambda-connections/aws";

export interface FakeConnection {
  id: string;
  state: "pendingAcceptance" | "available" | "rejected";
  createdAt: Date;
}

/** The filter takes lower-camel states; the response's State enum is capitalised. */
const API_STATE = { pendingAcceptance: "PendingAcceptance", available: "Available", rejected: "Rejected" } as const;

export class ConnectionWorld {
  readonly connections = new Map<string, FakeConnection>();
  recorded: string | undefined;
  /** Every endpoint id a RejectVpcEndpointConnections call named, in order. */
  readonly rejectCalls: string[][] = [];
  private readonly ec2 = mockClient(ec2Client as unknown as EC2Client);
  private readonly ssm = mockClient(ssmClient as unknown as SSMClient);

  constructor(
    readonly serviceId: string,
    private readonly random: () => number,
    private readonly maxTurns = 3,
  ) {
    this.ec2
      .on(DescribeVpcEndpointConnectionsCommand)
      .callsFake(async (input: DescribeVpcEndpointConnectionsCommandInput) => {
        await this.delay();
        const states = input.Filters?.find((f) => f.Name === "vpc-endpoint-state")?.Values;
        return {
          VpcEndpointConnections: [...this.connections.values()]
            .filter((c) => !states || states.includes(c.state))
            .map((c) => ({
              ServiceId: this.serviceId,
              VpcEndpointId: c.id,
              VpcEndpointOwner: "565502421330",
              VpcEndpointState: API_STATE[c.state],
              CreationTimestamp: c.createdAt,
            })),
        };
      });
    // Worst case: EC2 rejects whatever it is told, pending or already accepted.
    this.ec2
      .on(RejectVpcEndpointConnectionsCommand)
      .callsFake(async (input: RejectVpcEndpointConnectionsCommandInput) => {
        await this.delay();
        const ids = input.VpcEndpointIds ?? [];
        this.rejectCalls.push(ids);
        for (const id of ids) {
          const c = this.connections.get(id);
          if (c) c.state = "rejected";
        }
        return { Unsuccessful: [] };
      });
    this.ssm.on(GetParameterCommand).callsFake(async () => {
      await this.delay();
      if (this.recorded === undefined) throw new ParameterNotFound({ message: "not found", $metadata: {} });
      return { Parameter: { Value: this.recorded } };
    });
  }

  add(id: string, createdAt: Date, state: FakeConnection["state"] = "pendingAcceptance"): void {
    this.connections.set(id, { id, state, createdAt });
  }

  stateOf(id: string): FakeConnection["state"] | undefined {
    return this.connections.get(id)?.state;
  }

  wasRejectionAttempted(id: string): boolean {
    return this.rejectCalls.some((ids) => ids.includes(id));
  }

  restore(): void {
    this.ec2.restore();
    this.ssm.restore();
  }

  private async delay(): Promise<void> {
    await yieldTurns(Math.floor(this.random() * (this.maxTurns + 1)));
  }
}

/** Lets other pending work run `turns` times (setImmediate: after I/O and timers, no wall-clock wait). */
export async function yieldTurns(turns: number): Promise<void> {
  for (let i = 0; i < turns; i++) await new Promise((resolve) => setImmediate(resolve));
}
