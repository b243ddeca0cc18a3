/**
 * The one table of inputs whose change makes the provider REPLACE a resource (delete + create)
 * instead of updating it, per resource type the program registers. `plan --diff` and the upgrade
 * gate read it; so may any issue that needs to know whether a change replaces something.
 *
 * Paths are Pulumi input names (camelCase), dotted for nested inputs. Where the table lists a parent
 * path (e.g. "properties"), nothing below it is listed because nothing below it forces replacement.
 * A change the table does not list is reported as an in-place update: keep the table complete for
 * every type in plan/resourceTypes.ts (a test checks that).
 *
 * Sources (read 2026-12-01):
 * - AWS: hashicorp/terraform-provider-aws, the resource's `ForceNew: true` / `RequiresReplace()` schema
 *   fields (pulumi-aws bridges these unchanged), file given per row under internal/service/.
 * - Azure: pulumi/pulumi-azure-native provider/pkg/gen/replacement.go (forceNewMap) plus the rule it
 *   documents: URL path parameters and properties whose x-ms-mutability lacks "update" replace.
 * - Databricks: databricks/terraform-provider-databricks (commit 684f442), the file per row.
 */
import { TYPES as T } from "./resourceTypes";
import { REPLACE_ON_CHANGE as RULE_ENDPOINT_KEYS } from "../databricks/ruleVpcEndpointProvider";

export interface ReplaceRule {
  /** Inputs whose change replaces the resource. */
  readonly inputs: readonly string[];
  /** List inputs that replace only when an element is removed (adding one updates in place). */
  readonly onRemoval?: readonly string[];
  /** Where the provider decides it. */
  readonly source: string;
}

const AWS = (file: string) => `hashicorp/terraform-provider-aws internal/service/${file}`;
const DBX = (file: string) => `databricks/terraform-provider-databricks ${file}`;
const AZ = "pulumi/pulumi-azure-native provider/pkg/gen/replacement.go + path parameters";

export const REPLACE_ON_CHANGE: Readonly<Record<string, ReplaceRule>> = {
  // AWS
  [T.vpc]: { inputs: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength"], source: AWS("ec2/vpc_.go") },
  [T.subnet]: {
    inputs: ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "outpostArn"],
    source: AWS("ec2/vpc_subnet.go"),
  },
  [T.routeTable]: { inputs: ["vpcId"], source: AWS("ec2/vpc_route_table.go") },
  [T.routeTableAssociation]: { inputs: ["subnetId", "gatewayId"], source: AWS("ec2/vpc_route_table_association.go") },
  "aws:ec2/route:Route": {
    inputs: ["routeTableId", "destinationCidrBlock", "destinationIpv6CidrBlock", "destinationPrefixListId"],
    source: AWS("ec2/vpc_route.go"),
  },
  "aws:ec2/internetGateway:InternetGateway": { inputs: [], source: AWS("ec2/vpc_internet_gateway.go") },
  [T.vpcEndpoint]: { inputs: ["vpcId", "serviceName", "vpcEndpointType"], source: AWS("ec2/vpc_endpoint.go") },
  [T.eip]: {
    inputs: ["address", "domain", "ipamPoolId", "networkBorderGroup", "publicIpv4Pool"],
    source: AWS("ec2/ec2_eip.go"),
  },
  [T.sg]: { inputs: ["name", "namePrefix", "description", "vpcId"], source: AWS("ec2/vpc_security_group.go") },
  [T.ingress]: { inputs: ["securityGroupId"], source: AWS("ec2/vpc_security_group_ingress_rule.go") },
  [T.egress]: { inputs: ["securityGroupId"], source: AWS("ec2/vpc_security_group_egress_rule.go") },
  [T.launchTemplate]: { inputs: ["name", "namePrefix"], source: AWS("ec2/ec2_launch_template.go") },
  // initialLifecycleHooks is ForceNew (terraform-provider-aws PRs #20708, #34260): AWS applies it only at creation.
  [T.asg]: { inputs: ["name", "namePrefix", "initialLifecycleHooks"], source: AWS("autoscaling/group.go") },
  // Only `name` is ForceNew; create and update are both PutLifecycleHook (heartbeat, default result update in place).
  [T.lifecycleHook]: { inputs: ["name"], source: AWS("autoscaling/lifecycle_hook.go") },
  // NLB (CustomizeDiff): removing a subnet replaces, adding one does not; security groups replace when
  // the list goes from none to some or back; here any change to them counts (conservative).
  [T.nlb]: {
    inputs: ["name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool", "securityGroups"],
    onRemoval: ["subnets"],
    source: AWS("elbv2/load_balancer.go"),
  },
  [T.targetGroup]: {
    inputs: ["name", "namePrefix", "port", "protocol", "protocolVersion", "targetType", "vpcId", "ipAddressType"],
    source: AWS("elbv2/target_group.go"),
  },
  [T.listener]: { inputs: ["loadBalancerArn"], source: AWS("elbv2/listener.go") },
  [T.endpointService]: { inputs: [], source: AWS("ec2/vpc_endpoint_service.go") },
  "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple": {
    inputs: ["vpcEndpointServiceId", "principalArn"],
    source: AWS("ec2/vpc_endpoint_service_allowed_principal.go"),
  },
  [T.accepter]: {
    inputs: ["vpcEndpointServiceId", "vpcEndpointId"],
    source: AWS("ec2/vpc_endpoint_connection_accepter.go"),
  },
  [T.role]: { inputs: ["name", "namePrefix", "path"], source: AWS("iam/role.go") },
  [T.rolePolicy]: { inputs: ["role", "name", "namePrefix"], source: AWS("iam/role_policy.go") },
  [T.attachment]: { inputs: ["role", "policyArn"], source: AWS("iam/role_policy_attachment.go") },
  "aws:iam/instanceProfile:InstanceProfile": {
    inputs: ["name", "namePrefix", "path"],
    source: AWS("iam/instance_profile.go"),
  },
  [T.fn]: { inputs: ["name", "packageType"], source: AWS("lambda/function.go") },
  [T.permission]: {
    inputs: [
      "action",
      "function",
      "principal",
      "sourceArn",
      "sourceAccount",
      "statementId",
      "statementIdPrefix",
      "qualifier",
      "eventSourceToken",
      "principalOrgId",
      "functionUrlAuthType",
    ],
    source: AWS("lambda/permission.go"),
  },
  [T.eventRule]: { inputs: ["name", "namePrefix", "eventBusName"], source: AWS("events/rule.go") },
  [T.target]: { inputs: ["rule", "targetId", "eventBusName"], source: AWS("events/target.go") },
  [T.logGroup]: { inputs: ["name", "namePrefix", "logGroupClass"], source: AWS("logs/group.go") },
  [T.logMetricFilter]: { inputs: ["name", "logGroupName"], source: AWS("logs/metric_filter.go") },
  // Update is tags only: every other argument is ForceNew.
  [T.flowLog]: {
    inputs: [
      "deliverCrossAccountRole",
      "destinationOptions",
      "eniId",
      "iamRoleArn",
      "logDestination",
      "logDestinationType",
      "logFormat",
      "maxAggregationInterval",
      "regionalNatGatewayId",
      "subnetId",
      "trafficType",
      "transitGatewayAttachmentId",
      "transitGatewayId",
      "vpcId",
    ],
    source: AWS("ec2/vpc_flow_log.go"),
  },
  [T.alarm]: { inputs: ["name"], source: AWS("cloudwatch/metric_alarm.go") },
  [T.queue]: { inputs: ["name", "namePrefix", "fifoQueue"], source: AWS("sqs/queue.go") },
  [T.queuePolicy]: { inputs: ["queueUrl"], source: AWS("sqs/queue_policy.go") },
  [T.topic]: { inputs: ["name", "namePrefix", "fifoTopic"], source: AWS("sns/topic.go") },
  [T.subscription]: { inputs: ["topic", "protocol", "endpoint"], source: AWS("sns/topic_subscription.go") },
  [T.topicPolicy]: { inputs: ["arn"], source: AWS("sns/topic_policy.go") },
  // tier Advanced → Standard also replaces (CustomizeDiff); the program leaves tier unset.
  [T.ssmParameter]: { inputs: ["name"], source: AWS("ssm/parameter.go") },
  [T.connectionNotification]: {
    inputs: ["vpcEndpointServiceId", "vpcEndpointId"],
    source: AWS("ec2/vpc_endpoint_connection_notification.go"),
  },
  [T.dashboard]: { inputs: ["dashboardName"], source: AWS("cloudwatch/dashboard.go") },
  [T.scalingPolicy]: { inputs: ["name", "autoscalingGroupName"], source: AWS("autoscaling/policy.go") },
  [T.kmsKey]: {
    inputs: ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
    source: AWS("kms/key.go"),
  },
  // Azure
  [T.resourceGroup]: { inputs: ["resourceGroupName", "location"], source: AZ },
  [T.account]: { inputs: ["accountName", "resourceGroupName", "location"], source: AZ },
  [T.deployment]: { inputs: ["accountName", "deploymentName", "resourceGroupName"], source: AZ },
  // Authorization: forceNewMap lists principalId and scope; roleAssignmentName is a path parameter.
  [T.roleAssignment]: {
    inputs: ["roleAssignmentName", "scope", "principalId"],
    source:
      "pulumi/pulumi-azure-native provider/pkg/gen/replacement.go (Authorization.RoleAssignment) + path parameters",
  },
  // Microsoft Entra ID (hashicorp/terraform-provider-azuread, internal/services/...)
  [T.entraApplication]: {
    inputs: [],
    source: "hashicorp/terraform-provider-azuread internal/services/applications/application_registration_resource.go",
  },
  [T.entraServicePrincipal]: {
    inputs: ["clientId"],
    source: "hashicorp/terraform-provider-azuread internal/services/serviceprincipals/service_principal_resource.go",
  },
  // No update function: every argument replaces (a rotation is a new password).
  [T.entraPassword]: {
    inputs: ["applicationId", "displayName", "endDate", "endDateRelative", "startDate", "rotateWhenChanged"],
    source: "hashicorp/terraform-provider-azuread internal/services/applications/application_password_resource.go",
  },
  [T.rotating]: {
    inputs: [
      "rfc3339",
      "rotationDays",
      "rotationHours",
      "rotationMinutes",
      "rotationMonths",
      "rotationYears",
      "triggers",
    ],
    source: "hashicorp/terraform-provider-time internal/provider/resource_time_rotating.go",
  },
  // Databricks
  [T.ncc]: { inputs: ["accountId", "name", "region"], source: DBX("mws/resource_mws_network_connectivity_config.go") },
  // endpoint_service replaces; domain_names updates in place (provider PR #4959).
  [T.nccRule]: {
    inputs: ["networkConnectivityConfigId", "endpointService", "groupId", "resourceId"],
    source: DBX("mws/resource_mws_ncc_private_endpoint_rule.go"),
  },
  [T.binding]: { inputs: ["workspaceId"], source: DBX("mws/resource_mws_ncc_binding.go") },
  [T.policy]: {
    inputs: ["accountId"],
    source: DBX("internal/providers/pluginfw/products/account_network_policy/resource_account_network_policy.go"),
  },
  [T.option]: {
    inputs: [],
    source: DBX("internal/providers/pluginfw/products/workspace_network_option/resource_workspace_network_option.go"),
  },
  [T.scope]: {
    inputs: ["name", "initialManagePrincipal", "backendType", "keyvaultMetadata"],
    source: DBX("secrets/resource_secret_scope.go (no update: every field)"),
  },
  [T.secret]: { inputs: ["scope", "key", "stringValue"], source: DBX("secrets/resource_secret.go") },
  [T.secretAcl]: {
    inputs: ["scope", "principal", "permission"],
    source: DBX("secrets/resource_secret_acl.go (no update: every field)"),
  },
  [T.serving]: { inputs: ["name", "routeOptimized"], source: DBX("serving/resource_model_serving.go") },
  // The object id field is ForceNew (one per permission mapping); accessControls update in place.
  [T.permissions]: { inputs: ["servingEndpointId"], source: DBX("permissions/resource_permissions.go") },
  // permissions update in place; the workspace and the principal name another assignment.
  [T.workspaceAssignment]: {
    inputs: ["workspaceId", "principalId"],
    source: DBX("mws/resource_mws_permission_assignment.go"),
  },
  [T.ruleEndpoint]: {
    inputs: RULE_ENDPOINT_KEYS,
    source: "this repository, databricks/ruleVpcEndpointProvider.ts (diff)",
  },
  // Never replaced: a replacement would run its delete and re-point a workspace our policy stays on.
  [T.policyRestore]: { inputs: [], source: "this repository, databricks/policyRestoreProvider.ts (diff)" },
};

/**
 * What existing stacks must never lose by accident: replacing or deleting one of these breaks the
 * allow lists, the PrivateLink path or the Databricks side (docs/architecture.md, "Upgrades").
 */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  [T.eip]: "pool EIP (the Azure firewall allows exactly these addresses)",
  [T.account]: "Azure OpenAI account (endpoint, keys, deployments, soft-deleted for 48 h when removed)",
  [T.ncc]: "Databricks NCC (bound to the workspaces)",
  [T.nccRule]: "NCC private endpoint rule (Databricks' VPC endpoint)",
  [T.endpointService]: "VPC endpoint service (its name is in the NCC rule)",
  [T.nlb]: "internal NLB (behind the endpoint service)",
  [T.asg]: "Auto Scaling group (its launch hook exists only from creation)",
};

const under = (path: string, input: string) =>
  path === input || path.startsWith(`${input}.`) || path.startsWith(`${input}[`);

/**
 * The changed input paths that replace a resource of `type`. `removed` are the paths whose old value
 * is gone (for `onRemoval` lists). Types missing from the table replace on nothing.
 */
export function replacingInputs(type: string, changed: readonly string[], removed: readonly string[] = []): string[] {
  const rule = REPLACE_ON_CHANGE[type];
  if (!rule) return [];
  return changed.filter(
    (path) =>
      rule.inputs.some((input) => under(path, input)) ||
      (removed.includes(path) && (rule.onRemoval ?? []).some((input) => under(path, input))),
  );
}
