import {
  EC2Client,
  RejectVpcEndpointConnectionsCommand,
  paginateDescribeVpcEndpointConnections,
} from "@aws-sdk/client-ec2";
import { GetParameterCommand, SSMClient } from "@aws-sdk/client-ssm";
import type { PendingConnection } from "./decisions";
import type { ReconcilePorts } from "./reconcile";

/** Throttling, 5xx and network errors are retried by the SDK's standard strategy, up to this many attempts. */
export const SDK_MAX_ATTEMPTS = 5;

/** Created once per container. Region comes from AWS_REGION. */
export const ec2Client = new EC2Client({ maxAttempts: SDK_MAX_ATTEMPTS, retryMode: "standard" });
export const ssmClient = new SSMClient({ maxAttempts: SDK_MAX_ATTEMPTS, retryMode: "standard" });

/** Requests on this service still awaiting acceptance: the only ones a rejection may touch. */
export async function listPendingConnections(serviceId: string): Promise<PendingConnection[]> {
  const pending: PendingConnection[] = [];
  const pages = paginateDescribeVpcEndpointConnections(
    { client: ec2Client },
    {
      Filters: [
        { Name: "service-id", Values: [serviceId] },
        { Name: "vpc-endpoint-state", Values: ["pendingAcceptance"] },
      ],
    },
  );
  for await (const page of pages) {
    for (const c of page.VpcEndpointConnections ?? []) {
      // The filter is the server's (values in lower camel case, the response's State enum capitalised);
      // the state is checked again here so nothing else is ever judged.
      if (!c.VpcEndpointId || c.ServiceId !== serviceId || c.VpcEndpointState?.toLowerCase() !== "pendingacceptance")
        continue;
      pending.push({
        vpcEndpointId: c.VpcEndpointId,
        vpcEndpointOwner: c.VpcEndpointOwner,
        createdAt: c.CreationTimestamp,
      });
    }
  }
  return pending;
}

/** The recorded id(s); a parameter that does not exist yet means none recorded. */
export async function readRecordedIds(parameterName: string): Promise<string | undefined> {
  try {
    const { Parameter } = await ssmClient.send(new GetParameterCommand({ Name: parameterName }));
    return Parameter?.Value;
  } catch (error) {
    if (error instanceof Error && error.name === "ParameterNotFound") return undefined;
    throw error;
  }
}

export async function rejectConnections(
  serviceId: string,
  vpcEndpointIds: string[],
): Promise<Array<{ vpcEndpointId: string; code: string }>> {
  const { Unsuccessful = [] } = await ec2Client.send(
    new RejectVpcEndpointConnectionsCommand({ ServiceId: serviceId, VpcEndpointIds: vpcEndpointIds }),
  );
  return Unsuccessful.map((u) => ({ vpcEndpointId: u.ResourceId ?? "", code: u.Error?.Code ?? "unknown" }));
}

export const awsCalls: Omit<ReconcilePorts, "now"> = {
  listPending: listPendingConnections,
  readRecorded: readRecordedIds,
  reject: rejectConnections,
};
