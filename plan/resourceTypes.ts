/**
 * Type tokens of the resources the program registers: one home for the strings the plan's wiring
 * trace and the tests look resources up by.
 */
import { RULE_VPC_ENDPOINT_TYPE } from "../databricks/vpcEndpointWaiter";

export const TYPES = {
  // AWS
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  internetGateway: "aws:ec2/internetGateway:InternetGateway",
  routeTable: "aws:ec2/routeTable:RouteTable",
  routeTableAssociation: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  vpcEndpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  eip: "aws:ec2/eip:Eip",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  nlb: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  endpointService: "aws:ec2/vpcEndpointService:VpcEndpointService",
  accepter: "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  instanceProfile: "aws:iam/instanceProfile:InstanceProfile",
  fn: "aws:lambda/function:Function",
  permission: "aws:lambda/permission:Permission",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  target: "aws:cloudwatch/eventTarget:EventTarget",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  queue: "aws:sqs/queue:Queue",
  queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
  kmsKey: "aws:kms/key:Key",
  topic: "aws:sns/topic:Topic",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  ssmParameter: "aws:ssm/parameter:Parameter",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  connectionNotification: "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification",
  // Azure
  resourceGroup: "azure-native:resources:ResourceGroup",
  account: "azure-native:cognitiveservices:Account",
  deployment: "azure-native:cognitiveservices:Deployment",
  // Databricks
  provider: "pulumi:providers:databricks",
  ncc: "databricks:index/mwsNetworkConnectivityConfig:MwsNetworkConnectivityConfig",
  nccRule: "databricks:index/mwsNccPrivateEndpointRule:MwsNccPrivateEndpointRule",
  ruleEndpoint: RULE_VPC_ENDPOINT_TYPE,
  binding: "databricks:index/mwsNccBinding:MwsNccBinding",
  policy: "databricks:index/accountNetworkPolicy:AccountNetworkPolicy",
  option: "databricks:index/workspaceNetworkOption:WorkspaceNetworkOption",
  scope: "databricks:index/secretScope:SecretScope",
  secret: "databricks:index/secret:Secret",
  serving: "databricks:index/modelServing:ModelServing",
} as const;
