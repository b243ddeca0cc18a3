import { EC2ServiceException } from "@aws-sdk/client-ec2";
import { AutoScalingServiceException } from "@aws-sdk/client-auto-scaling";

type ServiceExceptionClass<T> = new (options: ConstructorParameters<typeof EC2ServiceException>[0]) => T;

/** A service error as the SDK v3 surfaces it: the service's error code in `name`, the status in $metadata. */
function serviceError<T>(
  Exception: ServiceExceptionClass<T>,
  code: string,
  message: string,
  httpStatusCode: number,
): T {
  return new Exception({
    name: code,
    message,
    $fault: httpStatusCode >= 500 ? "server" : "client",
    $metadata: { httpStatusCode },
  });
}

export const ec2Error = (code: string, message = code, httpStatusCode = 400) =>
  serviceError(EC2ServiceException, code, message, httpStatusCode);

export const autoScalingError = (code: string, message = code, httpStatusCode = 400) =>
  serviceError(AutoScalingServiceException, code, message, httpStatusCode);

/** What Auto Scaling answers when the action was already completed or has timed out. */
export function noActiveLifecycleAction(instanceId: string): AutoScalingServiceException {
  return autoScalingError("ValidationError", `No active Lifecycle Action found with instance ID ${instanceId}`);
}
