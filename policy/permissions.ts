/**
 * The one table of cloud permissions each deploy identity needs, per resource type the program
 * registers and per read (invoke) it makes: what `pulumi up` needs (create, update, delete and the
 * reads around them) and what `pulumi preview` needs (reads only). The plan prints it for the types a
 * stack registers (plan/sections/permissions.ts); docs/permissions.md is rendered from it (a test
 * keeps them equal). Pure: imports nothing.
 *
 * Actions follow each service's authorization reference (AWS "Actions, resources, and condition keys",
 * Azure resource provider operations); the Terraform-bridged providers read a resource after every
 * write, so `up` includes the reads too. Preview runs no provider read unless `--refresh` is given,
 * so the preview identity needs the invokes' reads and, for `--refresh`, the resources' reads.
 */

export type Cloud = "aws" | "azure" | "entra" | "databricks" | "none";

export interface PermissionRow {
  readonly cloud: Cloud;
  /** Actions `pulumi up` needs for this type (writes and the reads around them). */
  readonly up: readonly string[];
  /** Actions `pulumi preview` needs (reads; a resource's reads matter with `--refresh`). */
  readonly preview: readonly string[];
}

const aws = (up: string[], preview: string[]): PermissionRow => ({ cloud: "aws", up: [...up, ...preview], preview });
const az = (up: string[], preview: string[]): PermissionRow => ({ cloud: "azure", up: [...up, ...preview], preview });
const dbx = (up: string, preview: string): PermissionRow => ({ cloud: "databricks", up: [up], preview: [preview] });
const entra = (up: string, preview: string): PermissionRow => ({ cloud: "entra", up: [up], preview: [preview] });

const TAGS = ["ec2:CreateTags", "ec2:DeleteTags"];
const EC2_READ = [
  "ec2:DescribeVpcs",
  "ec2:DescribeSubnets",
  "ec2:DescribeRouteTables",
  "ec2:DescribeInternetGateways",
  "ec2:DescribeVpcEndpoints",
  "ec2:DescribeAddresses",
  "ec2:DescribeSecurityGroups",
  "ec2:DescribeSecurityGroupRules",
  "ec2:DescribeLaunchTemplates",
  "ec2:DescribeLaunchTemplateVersions",
  "ec2:DescribeVpcEndpointServiceConfigurations",
  "ec2:DescribeVpcEndpointServicePermissions",
  "ec2:DescribeVpcEndpointConnections",
  "ec2:DescribeVpcEndpointConnectionNotifications",
  "ec2:DescribePrefixLists",
  "ec2:DescribeVpcAttribute",
  "ec2:DescribeAddressesAttribute",
];
const IAM_READ = [
  "iam:GetRole",
  "iam:GetRolePolicy",
  "iam:ListRolePolicies",
  "iam:ListAttachedRolePolicies",
  "iam:GetInstanceProfile",
  "iam:ListInstanceProfilesForRole",
];

/** Resource type token → permissions. Keys are the tokens of plan/resourceTypes.ts (a test checks coverage). */
export const RESOURCE_PERMISSIONS: Readonly<Record<string, PermissionRow>> = {
  // AWS
  "aws:ec2/vpc:Vpc": aws(["ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute", ...TAGS], EC2_READ),
  "aws:ec2/subnet:Subnet": aws(
    ["ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute", ...TAGS],
    EC2_READ,
  ),
  "aws:ec2/internetGateway:InternetGateway": aws(
    [
      "ec2:CreateInternetGateway",
      "ec2:DeleteInternetGateway",
      "ec2:AttachInternetGateway",
      "ec2:DetachInternetGateway",
      ...TAGS,
    ],
    EC2_READ,
  ),
  "aws:ec2/routeTable:RouteTable": aws(["ec2:CreateRouteTable", "ec2:DeleteRouteTable", ...TAGS], EC2_READ),
  "aws:ec2/route:Route": aws(["ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute"], EC2_READ),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": aws(
    ["ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation"],
    EC2_READ,
  ),
  "aws:ec2/vpcEndpoint:VpcEndpoint": aws(
    ["ec2:CreateVpcEndpoint", "ec2:DeleteVpcEndpoints", "ec2:ModifyVpcEndpoint", ...TAGS],
    EC2_READ,
  ),
  "aws:ec2/eip:Eip": aws(["ec2:AllocateAddress", "ec2:ReleaseAddress", ...TAGS], EC2_READ),
  "aws:ec2/securityGroup:SecurityGroup": aws(
    ["ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup", "ec2:RevokeSecurityGroupEgress", ...TAGS],
    EC2_READ,
  ),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": aws(
    ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:ModifySecurityGroupRules", ...TAGS],
    EC2_READ,
  ),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": aws(
    ["ec2:AuthorizeSecurityGroupEgress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules", ...TAGS],
    EC2_READ,
  ),
  "aws:ec2/launchTemplate:LaunchTemplate": aws(
    [
      "ec2:CreateLaunchTemplate",
      "ec2:CreateLaunchTemplateVersion",
      "ec2:ModifyLaunchTemplate",
      "ec2:DeleteLaunchTemplate",
      "iam:PassRole",
      ...TAGS,
    ],
    EC2_READ,
  ),
  "aws:autoscaling/group:Group": aws(
    [
      "autoscaling:CreateAutoScalingGroup",
      "autoscaling:UpdateAutoScalingGroup",
      "autoscaling:DeleteAutoScalingGroup",
      "autoscaling:PutLifecycleHook",
      "autoscaling:StartInstanceRefresh",
      "autoscaling:CreateOrUpdateTags",
      "autoscaling:DeleteTags",
      "autoscaling:AttachLoadBalancerTargetGroups",
      "autoscaling:DetachLoadBalancerTargetGroups",
      "autoscaling:EnableMetricsCollection",
      "ec2:RunInstances",
      "iam:PassRole",
      "iam:CreateServiceLinkedRole",
    ],
    [
      "autoscaling:DescribeAutoScalingGroups",
      "autoscaling:DescribeLifecycleHooks",
      "autoscaling:DescribeInstanceRefreshes",
      "autoscaling:DescribeScalingActivities",
    ],
  ),
  "aws:autoscaling/policy:Policy": aws(
    ["autoscaling:PutScalingPolicy", "autoscaling:DeletePolicy"],
    ["autoscaling:DescribePolicies"],
  ),
  "aws:autoscaling/lifecycleHook:LifecycleHook": aws(
    ["autoscaling:PutLifecycleHook", "autoscaling:DeleteLifecycleHook"],
    ["autoscaling:DescribeLifecycleHooks"],
  ),
  "aws:lb/loadBalancer:LoadBalancer": aws(
    [
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:SetSubnets",
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags",
    ],
    [
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeTags",
    ],
  ),
  "aws:lb/targetGroup:TargetGroup": aws(
    [
      "elasticloadbalancing:CreateTargetGroup",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:RemoveTags",
    ],
    [
      "elasticloadbalancing:DescribeTargetGroups",
      "elasticloadbalancing:DescribeTargetGroupAttributes",
      "elasticloadbalancing:DescribeTags",
    ],
  ),
  "aws:lb/listener:Listener": aws(
    [
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:AddTags",
    ],
    [
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeListenerAttributes",
      "elasticloadbalancing:DescribeTags",
    ],
  ),
  "aws:ec2/vpcEndpointService:VpcEndpointService": aws(
    [
      "ec2:CreateVpcEndpointServiceConfiguration",
      "ec2:ModifyVpcEndpointServiceConfiguration",
      "ec2:DeleteVpcEndpointServiceConfigurations",
      "ec2:ModifyVpcEndpointServicePermissions",
      ...TAGS,
    ],
    EC2_READ,
  ),
  "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter": aws(
    ["ec2:AcceptVpcEndpointConnections", "ec2:RejectVpcEndpointConnections"],
    EC2_READ,
  ),
  "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification": aws(
    [
      "ec2:CreateVpcEndpointConnectionNotification",
      "ec2:ModifyVpcEndpointConnectionNotification",
      "ec2:DeleteVpcEndpointConnectionNotifications",
    ],
    EC2_READ,
  ),
  "aws:iam/role:Role": aws(
    [
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:UpdateRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
    ],
    IAM_READ,
  ),
  "aws:iam/rolePolicy:RolePolicy": aws(["iam:PutRolePolicy", "iam:DeleteRolePolicy"], IAM_READ),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": aws(["iam:AttachRolePolicy", "iam:DetachRolePolicy"], IAM_READ),
  "aws:iam/instanceProfile:InstanceProfile": aws(
    [
      "iam:CreateInstanceProfile",
      "iam:DeleteInstanceProfile",
      "iam:AddRoleToInstanceProfile",
      "iam:RemoveRoleFromInstanceProfile",
      "iam:TagInstanceProfile",
      "iam:PassRole",
    ],
    IAM_READ,
  ),
  "aws:lambda/function:Function": aws(
    [
      "lambda:CreateFunction",
      "lambda:DeleteFunction",
      "lambda:UpdateFunctionCode",
      "lambda:UpdateFunctionConfiguration",
      "lambda:PutFunctionConcurrency",
      "lambda:DeleteFunctionConcurrency",
      "lambda:TagResource",
      "lambda:UntagResource",
      "iam:PassRole",
    ],
    [
      "lambda:GetFunction",
      "lambda:GetFunctionConfiguration",
      "lambda:GetFunctionCodeSigningConfig",
      "lambda:ListVersionsByFunction",
      "lambda:GetFunctionConcurrency",
      "lambda:ListTags",
    ],
  ),
  "aws:lambda/permission:Permission": aws(["lambda:AddPermission", "lambda:RemovePermission"], ["lambda:GetPolicy"]),
  "aws:cloudwatch/eventRule:EventRule": aws(
    ["events:PutRule", "events:DeleteRule", "events:TagResource", "events:UntagResource"],
    ["events:DescribeRule", "events:ListTagsForResource"],
  ),
  "aws:cloudwatch/eventTarget:EventTarget": aws(
    ["events:PutTargets", "events:RemoveTargets"],
    ["events:ListTargetsByRule"],
  ),
  "aws:cloudwatch/logGroup:LogGroup": aws(
    ["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:TagResource", "logs:UntagResource"],
    ["logs:DescribeLogGroups", "logs:ListTagsForResource"],
  ),
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": aws(
    ["logs:PutMetricFilter", "logs:DeleteMetricFilter"],
    ["logs:DescribeMetricFilters"],
  ),
  // CreateFlowLogs passes the delivery role to VPC Flow Logs.
  "aws:ec2/flowLog:FlowLog": aws(
    ["ec2:CreateFlowLogs", "ec2:DeleteFlowLogs", "iam:PassRole", ...TAGS],
    ["ec2:DescribeFlowLogs"],
  ),
  "aws:cloudwatch/dashboard:Dashboard": aws(
    ["cloudwatch:PutDashboard", "cloudwatch:DeleteDashboards"],
    ["cloudwatch:GetDashboard", "cloudwatch:ListDashboards"],
  ),
  "aws:cloudwatch/metricAlarm:MetricAlarm": aws(
    ["cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource"],
    ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"],
  ),
  "aws:sqs/queue:Queue": aws(
    ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue"],
    ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"],
  ),
  "aws:sqs/queuePolicy:QueuePolicy": aws(["sqs:SetQueueAttributes"], ["sqs:GetQueueAttributes"]),
  "aws:kms/key:Key": aws(
    [
      "kms:CreateKey",
      "kms:PutKeyPolicy",
      "kms:EnableKeyRotation",
      "kms:ScheduleKeyDeletion",
      "kms:UpdateKeyDescription",
      "kms:TagResource",
      "kms:UntagResource",
    ],
    ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"],
  ),
  "aws:sns/topic:Topic": aws(
    ["sns:CreateTopic", "sns:DeleteTopic", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource"],
    ["sns:GetTopicAttributes", "sns:ListTagsForResource"],
  ),
  "aws:sns/topicPolicy:TopicPolicy": aws(["sns:SetTopicAttributes"], ["sns:GetTopicAttributes"]),
  "aws:sns/topicSubscription:TopicSubscription": aws(
    ["sns:Subscribe", "sns:Unsubscribe", "sns:SetSubscriptionAttributes"],
    ["sns:GetSubscriptionAttributes"],
  ),
  "aws:ssm/parameter:Parameter": aws(
    ["ssm:PutParameter", "ssm:DeleteParameter", "ssm:AddTagsToResource", "ssm:RemoveTagsFromResource"],
    ["ssm:GetParameter", "ssm:DescribeParameters", "ssm:ListTagsForResource"],
  ),
  // Azure (one custom role: see AZURE_CUSTOM_ROLE)
  "azure-native:resources:ResourceGroup": az(
    [
      "Microsoft.Resources/subscriptions/resourceGroups/write",
      "Microsoft.Resources/subscriptions/resourceGroups/delete",
    ],
    ["Microsoft.Resources/subscriptions/resourceGroups/read"],
  ),
  "azure-native:cognitiveservices:Account": az(
    [
      "Microsoft.CognitiveServices/accounts/write",
      "Microsoft.CognitiveServices/accounts/delete",
      "Microsoft.CognitiveServices/locations/deletedAccounts/read",
      "Microsoft.CognitiveServices/locations/resourceGroups/deletedAccounts/delete",
    ],
    ["Microsoft.CognitiveServices/accounts/read"],
  ),
  "azure-native:cognitiveservices:Deployment": az(
    [
      "Microsoft.CognitiveServices/accounts/deployments/write",
      "Microsoft.CognitiveServices/accounts/deployments/delete",
    ],
    ["Microsoft.CognitiveServices/accounts/deployments/read"],
  ),
  "azure-native:authorization:RoleAssignment": az(
    ["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete"],
    ["Microsoft.Authorization/roleAssignments/read"],
  ),
  // Microsoft Entra ID (azure.auth: entra): Microsoft Graph application permissions, not Azure RBAC
  "azuread:index/applicationRegistration:ApplicationRegistration": entra(
    "Microsoft Graph Application.ReadWrite.OwnedBy",
    "none (with --refresh: Application.Read.All)",
  ),
  "azuread:index/servicePrincipal:ServicePrincipal": entra(
    "Microsoft Graph Application.ReadWrite.OwnedBy",
    "none (with --refresh: Application.Read.All)",
  ),
  "azuread:index/applicationPassword:ApplicationPassword": entra(
    "Microsoft Graph Application.ReadWrite.OwnedBy (owner of the application)",
    "none",
  ),
  "time:index/rotating:Rotating": { cloud: "none", up: [], preview: [] },
  // Databricks: roles, not actions
  "pulumi:providers:databricks": dbx("a service principal (OAuth M2M)", "a service principal (OAuth M2M)"),
  "databricks:index/mwsNetworkConnectivityConfig:MwsNetworkConnectivityConfig": dbx(
    "account admin",
    "none (with --refresh: account admin; the account API has no read-only role)",
  ),
  "databricks:index/mwsNccPrivateEndpointRule:MwsNccPrivateEndpointRule": dbx(
    "account admin",
    "none (with --refresh: account admin)",
  ),
  "pulumi-nodejs:dynamic/databricks:RuleVpcEndpoint": dbx("account admin (reads the rule; runs only in up)", "none"),
  "pulumi-nodejs:dynamic/databricks:WorkspacePolicyRestore": dbx(
    "account admin (on delete: reads and re-points the workspace's network option)",
    "none",
  ),
  "databricks:index/mwsPermissionAssignment:MwsPermissionAssignment": dbx(
    "account admin",
    "none (with --refresh: account admin)",
  ),
  "databricks:index/mwsNccBinding:MwsNccBinding": dbx("account admin", "none (with --refresh: account admin)"),
  "databricks:index/accountNetworkPolicy:AccountNetworkPolicy": dbx(
    "account admin",
    "none (with --refresh: account admin)",
  ),
  "databricks:index/workspaceNetworkOption:WorkspaceNetworkOption": dbx(
    "account admin",
    "none (with --refresh: account admin)",
  ),
  "databricks:index/secretScope:SecretScope": dbx(
    "workspace user allowed to create secret scopes (becomes the scope's MANAGE principal)",
    "none (with --refresh: READ on the scope's ACLs: the scope's MANAGE principal)",
  ),
  "databricks:index/secret:Secret": dbx(
    "MANAGE on the scope (as its creator)",
    "none (with --refresh: MANAGE on the scope; the value is never read back)",
  ),
  "databricks:index/secretAcl:SecretAcl": dbx("MANAGE on the scope", "none (with --refresh: MANAGE on the scope)"),
  "databricks:index/permissions:Permissions": dbx(
    "CAN_MANAGE on the endpoint (its creator has it)",
    "none (with --refresh: CAN_MANAGE on the endpoint, to read its ACL)",
  ),
  "databricks:index/modelServing:ModelServing": dbx(
    "workspace user with serverless model serving; READ on the key's secret; with an inference table: USE CATALOG, USE SCHEMA and CREATE TABLE on its schema",
    "none (with --refresh: CAN_VIEW on the endpoint)",
  ),
};

/** Reads the program makes at preview and up alike, by token, besides the preflight checks' (preflight/registry.ts lists theirs). */
export const INVOKE_PERMISSIONS: Readonly<Record<string, PermissionRow>> = {
  "aws:index/getAvailabilityZones:getAvailabilityZones": {
    cloud: "aws",
    up: ["ec2:DescribeAvailabilityZones"],
    preview: ["ec2:DescribeAvailabilityZones"],
  },
  "aws:index/getCallerIdentity:getCallerIdentity": {
    cloud: "aws",
    up: ["sts:GetCallerIdentity"],
    preview: ["sts:GetCallerIdentity"],
  },
  "aws:ssm/getParameter:getParameter": { cloud: "aws", up: ["ssm:GetParameter"], preview: ["ssm:GetParameter"] },
  // The identity the scope's ACL names (databricks/secretScopeAcl.ts): any workspace user may read itself.
  "databricks:index/getCurrentUser:getCurrentUser": dbx(
    "workspace user (reads itself)",
    "workspace user (reads itself)",
  ),
  // The key is read in `up` only: previews skip the call (azure/openAiAccount.ts), so no preview role holds listKeys.
  "azure-native:cognitiveservices:listAccountKeys": {
    cloud: "azure",
    up: ["Microsoft.CognitiveServices/accounts/listKeys/action"],
    preview: [],
  },
};

export type Command = "up" | "preview";

/** The distinct actions a command needs for the given types and invokes, per cloud, sorted. */
export function permissionsFor(
  command: Command,
  types: Iterable<string>,
  invokes: Iterable<string> = [],
): Record<Cloud, string[]> {
  const out: Record<Cloud, Set<string>> = {
    aws: new Set(),
    azure: new Set(),
    entra: new Set(),
    databricks: new Set(),
    none: new Set(),
  };
  const add = (row: PermissionRow | undefined) => row?.[command].forEach((a) => out[row.cloud].add(a));
  for (const t of types) add(RESOURCE_PERMISSIONS[t]);
  for (const t of invokes) add(INVOKE_PERMISSIONS[t]);
  const sorted = (c: Cloud) => [...out[c]].sort();
  return {
    aws: sorted("aws"),
    azure: sorted("azure"),
    entra: sorted("entra"),
    databricks: sorted("databricks"),
    none: [],
  };
}

/** Types the table does not know (a test and the plan name them: a new resource type needs a row). */
export function unknownTypes(types: Iterable<string>): string[] {
  return [...new Set([...types].filter((t) => !(t in RESOURCE_PERMISSIONS)))].sort();
}

/** The AWS IAM policy document for a command (one statement; scope it further with tags or ARNs if you can). */
export function awsPolicyDocument(
  command: Command,
  types: Iterable<string>,
  invokes: Iterable<string>,
  extra: readonly string[] = [],
): object {
  const actions = [...new Set([...permissionsFor(command, types, invokes).aws, ...extra])].sort();
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: command === "up" ? "DbxAoaiLinkDeploy" : "DbxAoaiLinkPreview",
        Effect: "Allow",
        Action: actions,
        Resource: "*",
      },
    ],
  };
}

/**
 * Subscription of the custom roles' AssignableScopes. Both roles must be assignable at the subscription:
 * the model and quota preflight (preflight/azureModels.ts) reads
 * /subscriptions/{id}/providers/Microsoft.CognitiveServices/locations/{location}/models and /usages, which
 * a role assigned on a resource group does not reach (Azure's built-in "Cognitive Services Usages Reader",
 * bba48692-92b0-4667-a9ad-c31c7b334ac2, holds locations/usages/read for the same reason).
 */
export const AZURE_ROLE_SCOPE = "/subscriptions/<subscription-id>";

/**
 * The Azure custom role for a command. The deployer is assigned on the resource group (the subscription
 * when the stack creates the group); the previewer, read-only and without listKeys, on the subscription,
 * to both identities, so the preflight's subscription-scope reads succeed without subscription-wide writes.
 */
export function azureCustomRole(
  command: Command,
  types: Iterable<string>,
  invokes: Iterable<string>,
  extra: readonly string[] = [],
): object {
  return {
    Name: command === "up" ? "dbx-aoai-link deployer" : "dbx-aoai-link previewer",
    IsCustom: true,
    Description:
      command === "up"
        ? "Creates and updates the Azure OpenAI account, its deployments and resource group; reads the account key for the Databricks secret. Assign on the resource group (on the subscription if the stack creates the group)."
        : "Reads what a preview of dbx-aoai-link reads; cannot read the account key. Assign on the subscription, to the preview and the deploy identity: the model and quota preflight reads Microsoft.CognitiveServices/locations/* there.",
    Actions: [...new Set([...permissionsFor(command, types, invokes).azure, ...extra])].sort(),
    NotActions: command === "preview" ? ["Microsoft.CognitiveServices/accounts/listKeys/action"] : [],
    AssignableScopes: [AZURE_ROLE_SCOPE],
  };
}
