/**
 * An IAM document for this account and region, as the JSON a policy input takes: the account id is
 * known only once the caller identity is read, so every grant scoped to it waits for that one value.
 */
import * as pulumi from "@pulumi/pulumi";
import type { AccountScope } from "./iamDocument";
import { partitionOf } from "./partition";

export function accountPolicyJson(
  region: string,
  accountId: pulumi.Input<string>,
  build: (scope: AccountScope) => unknown,
): pulumi.Output<string> {
  return pulumi
    .output(accountId)
    .apply((id) => JSON.stringify(build({ partition: partitionOf(region), region, accountId: id })));
}
