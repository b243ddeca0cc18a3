/**
 * The one table of invented provider-computed values: realistic, deterministic outputs
 * (documentation-range addresses, AWS-shaped ids, ARNs and service names, Azure endpoints, Databricks
 * ids), derived from each resource's name so they do not depend on registration order. The offline
 * engine answers update-mode registrations with it (and marks the same keys unknown in preview); the
 * in-process unit-test mocks (plan/mocks.ts) answer with it too. Add a `case` here for each new
 * resource type or invoke the program registers.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- provider inputs of any shape */
import * as crypto from "crypto";
import { RULE_VPC_ENDPOINT_TYPE } from "../databricks/vpcEndpointWaiter";
import { POLICY_RESTORE_TYPE } from "../databricks/workspacePolicyRestore";

export const MOCK_AWS_ACCOUNT_ID = "123456789012";
/** First pool address; pool member i gets 203.0.113.(10 + i) (RFC 5737 documentation range). */
export const MOCK_EIP_BASE = 10;
/** "Now" for time-based resources (the `time.Rotating` trigger), so plans are deterministic. */
export const MOCK_NOW = "2026-12-01T00:00:00Z";
/**
 * The VPC offline (`proxy.existingVpc`): every `vpc-…` id exists and resolves DNS, and every `subnet-…`
 * id asked about exists in MOCK_EXISTING_VPC_ID. A subnet's AZ is the region's (last hex digit mod 6)-th zone (`…0` → a,
 * `…1` → b), and its route table sends 0.0.0.0/0 to an internet gateway. Tests answer other worlds.
 */
export const MOCK_EXISTING_VPC_CIDR = "10.80.0.0/16";
export const MOCK_EXISTING_VPC_ID = "vpc-0e1f2a3b4c5d6e7f8";
/** Where the account `azure.existingAccount` names is offline, and the address its owner allows already. */
export const MOCK_EXISTING_ACCOUNT_LOCATION = "eastus2";
export const MOCK_EXISTING_ACCOUNT_IP = "198.51.100.7";
/** Subscription and tenant the mocked Azure credentials belong to. */
export const MOCK_AZURE_SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000003";
export const MOCK_AZURE_TENANT_ID = "00000000-0000-4000-8000-000000000004";
/** The identity the mocked Databricks workspace credentials belong to: a service principal's application id. */
export const MOCK_DATABRICKS_DEPLOY_IDENTITY = "00000000-0000-4000-8000-000000000005";

function hex(seed: string, length: number): string {
  return crypto.createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** The values of one filter of an EC2 lookup (`filters: [{ name, values }]`). */
function filterValues(inputs: Record<string, any>, name: string): string[] {
  const filters = (inputs.filters ?? []) as { name: string; values: string[] }[];
  return filters.find((f) => f.name === name)?.values ?? [];
}

/** Trailing index of a name like `egress-eip-3`, else a stable number from its hash. */
function indexOf(name: string): number {
  const m = /-(\d+)$/.exec(name);
  return m ? Number(m[1]) : parseInt(hex(name, 4), 16) % 90;
}

/** What the table needs to invent a resource's values (a subset of the mocks' `MockResourceArgs`). */
export interface InventArgs {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, any>;
}

export interface InventedValuesOptions {
  readonly awsRegion: string;
  /** `aws` commercially, `aws-us-gov` in GovCloud. */
  readonly awsPartition?: string;
}

/** The table: `computed` for resources, `invoke` for data sources. */
export class InventedValues {
  protected readonly region: string;
  protected readonly partition: string;

  constructor(options: InventedValuesOptions) {
    this.region = options.awsRegion;
    this.partition = options.awsPartition ?? (options.awsRegion.startsWith("us-gov-") ? "aws-us-gov" : "aws");
  }

  protected arn(service: string, resource: string, regional = true): string {
    return `arn:${this.partition}:${service}:${regional ? this.region : ""}:${MOCK_AWS_ACCOUNT_ID}:${resource}`;
  }

  /** Realistic provider-computed outputs per resource type. */
  computed(args: InventArgs): { id: string; outputs: Record<string, unknown> } {
    const inputs = args.inputs;
    const h = (n: number) => hex(`${args.type}/${args.name}`, n);
    const awsId = (prefix: string) => `${prefix}-0${h(16)}`;
    const uuid = () => h(32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5");
    const tagsAll = inputs.tags ? { tagsAll: inputs.tags } : {};
    switch (args.type) {
      case "aws:ec2/eip:Eip": {
        const id = awsId("eipalloc");
        const publicIp = `203.0.113.${MOCK_EIP_BASE + indexOf(args.name)}`;
        return {
          id,
          outputs: {
            allocationId: id,
            publicIp,
            publicDns: `ec2-${publicIp.replace(/\./g, "-")}.compute-1.amazonaws.com`,
            domain: "vpc",
            arn: this.arn("ec2", `elastic-ip/${id}`),
            ...tagsAll,
          },
        };
      }
      case "aws:ec2/vpc:Vpc": {
        const id = awsId("vpc");
        return {
          id,
          outputs: {
            arn: this.arn("ec2", `vpc/${id}`),
            defaultRouteTableId: awsId("rtb"),
            mainRouteTableId: awsId("rtb"),
            ...tagsAll,
          },
        };
      }
      case "aws:ec2/subnet:Subnet": {
        const id = awsId("subnet");
        return { id, outputs: { arn: this.arn("ec2", `subnet/${id}`), ...tagsAll } };
      }
      case "aws:ec2/internetGateway:InternetGateway":
        return { id: awsId("igw"), outputs: { ...tagsAll } };
      case "aws:ec2/routeTable:RouteTable":
        return { id: awsId("rtb"), outputs: { ...tagsAll } };
      case "aws:ec2/route:Route":
        return { id: `r-${h(8)}`, outputs: {} };
      case "aws:ec2/routeTableAssociation:RouteTableAssociation":
        return { id: awsId("rtbassoc"), outputs: {} };
      case "aws:ec2/vpcEndpoint:VpcEndpoint": {
        const id = awsId("vpce");
        return {
          id,
          outputs: {
            arn: this.arn("ec2", `vpc-endpoint/${id}`),
            prefixListId: `pl-${h(8)}`,
            state: "available",
            ...tagsAll,
          },
        };
      }
      case "aws:ec2/securityGroup:SecurityGroup": {
        const id = awsId("sg");
        return {
          id,
          outputs: {
            arn: this.arn("ec2", `security-group/${id}`),
            name: inputs.name ?? `${args.name}-${h(7)}`,
            ...tagsAll,
          },
        };
      }
      case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
      case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
        const id = awsId("sgr");
        return { id, outputs: { securityGroupRuleId: id, arn: this.arn("ec2", `security-group-rule/${id}`) } };
      }
      case "aws:ec2/launchTemplate:LaunchTemplate": {
        const id = awsId("lt");
        return {
          id,
          outputs: {
            arn: this.arn("ec2", `launch-template/${id}`),
            latestVersion: 1,
            defaultVersion: 1,
            name: inputs.name ?? `${inputs.namePrefix ?? args.name}${h(8)}`,
            ...tagsAll,
          },
        };
      }
      case "aws:autoscaling/group:Group": {
        const name = (inputs.name as string | undefined) ?? `${inputs.namePrefix ?? `${args.name}-`}${h(8)}`;
        return {
          id: name,
          outputs: {
            name,
            arn: this.arn("autoscaling", `autoScalingGroup:${h(8)}-${h(4)}:autoScalingGroupName/${name}`),
          },
        };
      }
      case "aws:autoscaling/lifecycleHook:LifecycleHook":
        return { id: String(inputs.name ?? args.name), outputs: {} };
      case "aws:lb/loadBalancer:LoadBalancer": {
        const name = (inputs.name as string | undefined) ?? `${args.name.slice(0, 24)}-${h(7)}`;
        const suffix = `net/${name}/${h(16)}`;
        return {
          id: this.arn("elasticloadbalancing", `loadbalancer/${suffix}`),
          outputs: {
            name,
            arn: this.arn("elasticloadbalancing", `loadbalancer/${suffix}`),
            arnSuffix: suffix,
            dnsName: `${name}-${h(10)}.elb.${this.region}.amazonaws.com`,
            zoneId: "Z26RNL4JYFTOTI",
            ...tagsAll,
          },
        };
      }
      case "aws:lb/targetGroup:TargetGroup": {
        const name = (inputs.name as string | undefined) ?? `${args.name.slice(0, 24)}-${h(7)}`;
        const suffix = `targetgroup/${name}/${h(16)}`;
        return {
          id: this.arn("elasticloadbalancing", suffix),
          outputs: { name, arn: this.arn("elasticloadbalancing", suffix), arnSuffix: suffix, ...tagsAll },
        };
      }
      case "aws:lb/listener:Listener": {
        const arn = this.arn("elasticloadbalancing", `listener/net/${args.name}/${h(16)}/${h(16)}`);
        return { id: arn, outputs: { arn } };
      }
      case "aws:ec2/vpcEndpointService:VpcEndpointService": {
        const id = `vpce-svc-0${h(16)}`;
        return {
          id,
          outputs: {
            serviceName: `com.amazonaws.vpce.${this.region}.${id}`,
            arn: this.arn("ec2", `vpc-endpoint-service/${id}`),
            state: "Available",
            serviceType: "Interface",
            availabilityZones: [`${this.region}a`, `${this.region}b`],
            baseEndpointDnsNames: [`${id}.${this.region}.vpce.amazonaws.com`],
            managesVpcEndpoints: false,
            ...tagsAll,
          },
        };
      }
      case "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple":
        return { id: `vpce-svc-perm-${h(12)}`, outputs: {} };
      case "aws:ec2/vpcEndpointConnectionAccepter:VpcEndpointConnectionAccepter":
        return {
          id: `${inputs.vpcEndpointServiceId}_${inputs.vpcEndpointId}`,
          outputs: { vpcEndpointState: "available" },
        };
      case "aws:iam/role:Role": {
        const name = (inputs.name as string | undefined) ?? `${args.name}-${h(7)}`;
        return {
          id: name,
          outputs: {
            name,
            arn: this.arn("iam", `role/${name}`, false),
            uniqueId: `AROA${h(17).toUpperCase()}`,
            ...tagsAll,
          },
        };
      }
      case "aws:iam/rolePolicy:RolePolicy":
        return { id: `${inputs.role}:${args.name}`, outputs: { name: inputs.name ?? args.name } };
      case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
        return { id: `${args.name}-${h(8)}`, outputs: {} };
      case "aws:iam/instanceProfile:InstanceProfile": {
        const name = (inputs.name as string | undefined) ?? `${args.name}-${h(7)}`;
        return { id: name, outputs: { name, arn: this.arn("iam", `instance-profile/${name}`, false) } };
      }
      case "aws:lambda/function:Function": {
        const name = (inputs.name as string | undefined) ?? `${args.name}-${h(7)}`;
        const arn = this.arn("lambda", `function:${name}`);
        return {
          id: name,
          outputs: {
            name,
            arn,
            qualifiedArn: `${arn}:$LATEST`,
            invokeArn: `arn:${this.partition}:apigateway:${this.region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
            version: "$LATEST",
            ...tagsAll,
          },
        };
      }
      case "aws:lambda/permission:Permission":
        return { id: String(inputs.statementId ?? args.name), outputs: {} };
      case "aws:cloudwatch/eventRule:EventRule": {
        const name = (inputs.name as string | undefined) ?? `${args.name}-${h(7)}`;
        return { id: name, outputs: { name, arn: this.arn("events", `rule/${name}`), ...tagsAll } };
      }
      case "aws:cloudwatch/eventTarget:EventTarget":
        return { id: `${inputs.rule}-${inputs.targetId ?? h(8)}`, outputs: {} };
      case "aws:cloudwatch/logGroup:LogGroup": {
        const name = (inputs.name as string | undefined) ?? `${args.name}-${h(7)}`;
        return { id: name, outputs: { name, arn: this.arn("logs", `log-group:${name}`), ...tagsAll } };
      }
      case "aws:cloudwatch/logMetricFilter:LogMetricFilter":
        return {
          id: String(inputs.name ?? `${args.name}-${h(7)}`),
          outputs: { name: inputs.name ?? `${args.name}-${h(7)}` },
        };
      case "aws:ec2/flowLog:FlowLog": {
        const id = awsId("fl");
        return { id, outputs: { arn: this.arn("ec2", `vpc-flow-log/${id}`), ...tagsAll } };
      }
      case "aws:cloudwatch/metricAlarm:MetricAlarm": {
        const name = (inputs.name as string | undefined) ?? `${args.name}-${h(7)}`;
        return { id: name, outputs: { name, arn: this.arn("cloudwatch", `alarm:${name}`) } };
      }
      case "aws:sqs/queue:Queue": {
        const name = (inputs.name as string | undefined) ?? `${args.name}-${h(7)}`;
        return {
          id: `https://sqs.${this.region}.amazonaws.com/${MOCK_AWS_ACCOUNT_ID}/${name}`,
          outputs: {
            name,
            arn: this.arn("sqs", name),
            url: `https://sqs.${this.region}.amazonaws.com/${MOCK_AWS_ACCOUNT_ID}/${name}`,
          },
        };
      }
      case "aws:sqs/queuePolicy:QueuePolicy":
        return { id: `${args.name}-${h(8)}`, outputs: {} };
      case "aws:sns/topic:Topic": {
        const name = (inputs.name as string | undefined) ?? `${args.name}-${h(7)}`;
        return { id: this.arn("sns", name), outputs: { name, arn: this.arn("sns", name) } };
      }
      case "aws:sns/topicSubscription:TopicSubscription": {
        // Email subscriptions stay "pending confirmation" until the recipient clicks the link.
        const arn = `${inputs.topic}:${uuid()}`;
        return {
          id: arn,
          outputs: { arn, pendingConfirmation: inputs.protocol === "email", confirmationWasAuthenticated: false },
        };
      }
      case "aws:cloudwatch/dashboard:Dashboard": {
        const name = String(inputs.dashboardName ?? args.name);
        return {
          id: name,
          outputs: { dashboardArn: `arn:${this.partition}:cloudwatch::${MOCK_AWS_ACCOUNT_ID}:dashboard/${name}` },
        };
      }
      case "aws:autoscaling/policy:Policy": {
        const name = String(inputs.name ?? `${args.name}-${h(7)}`);
        return {
          id: name,
          outputs: {
            name,
            arn: this.arn(
              "autoscaling",
              `scalingPolicy:${uuid()}:autoScalingGroupName/${inputs.autoscalingGroupName}:policyName/${name}`,
            ),
          },
        };
      }
      case "aws:kms/key:Key": {
        const id = uuid();
        return {
          id,
          outputs: {
            keyId: id,
            arn: this.arn("kms", `key/${id}`),
            keyUsage: "ENCRYPT_DECRYPT",
            customerMasterKeySpec: "SYMMETRIC_DEFAULT",
            ...tagsAll,
          },
        };
      }
      case "aws:ssm/parameter:Parameter": {
        const name = String(inputs.name ?? args.name);
        return {
          id: name,
          outputs: { name, arn: this.arn("ssm", `parameter/${name.replace(/^\//, "")}`), version: 1, ...tagsAll },
        };
      }
      case "aws:ec2/vpcEndpointConnectionNotification:VpcEndpointConnectionNotification":
        return { id: `vpce-nfn-0${h(16)}`, outputs: { state: "Enabled", notificationType: "Topic" } };
      case "azure-native:resources:ResourceGroup": {
        const name = String(inputs.resourceGroupName ?? args.name);
        return {
          id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${name}`,
          outputs: { name, provisioningState: "Succeeded" },
        };
      }
      case "azure-native:cognitiveservices:Account": {
        const name = String(inputs.accountName ?? args.name);
        const properties = (inputs.properties ?? {}) as Record<string, unknown>;
        const sub = String(properties.customSubDomainName ?? name);
        return {
          id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/${name}`,
          outputs: {
            name,
            properties: {
              ...properties,
              endpoint: `https://${sub}.openai.azure.com/`,
              endpoints: { "OpenAI Language Model Instance API": `https://${sub}.openai.azure.com/` },
              provisioningState: "Succeeded",
            },
          },
        };
      }
      case "azure-native:cognitiveservices:Deployment": {
        const name = String(inputs.deploymentName ?? args.name);
        return {
          id: `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/${inputs.resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/${inputs.accountName}/deployments/${name}`,
          outputs: { name },
        };
      }
      case "azure-native:authorization:RoleAssignment": {
        const name = uuid();
        return {
          id: `${inputs.scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
          outputs: { name, principalType: inputs.principalType },
        };
      }
      case "azuread:index/applicationRegistration:ApplicationRegistration": {
        const objectId = uuid();
        return {
          id: `/applications/${objectId}`,
          outputs: {
            objectId,
            clientId: hex(`client/${args.name}`, 32).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, "$1-$2-$3-$4-$5"),
          },
        };
      }
      case "azuread:index/servicePrincipal:ServicePrincipal": {
        const objectId = uuid();
        return { id: `/servicePrincipals/${objectId}`, outputs: { objectId, clientId: inputs.clientId } };
      }
      case "azuread:index/applicationPassword:ApplicationPassword": {
        const keyId = uuid();
        return {
          id: `${inputs.applicationId}/password/${keyId}`,
          outputs: { keyId, value: `mock-entra-secret-${h(24)}`, startDate: MOCK_NOW },
        };
      }
      case "time:index/rotating:Rotating": {
        const days = Number(inputs.rotationDays ?? 0);
        const rotationRfc3339 = new Date(Date.parse(MOCK_NOW) + days * 86_400_000)
          .toISOString()
          .replace(/\.\d{3}Z$/, "Z");
        return { id: MOCK_NOW, outputs: { rfc3339: MOCK_NOW, rotationRfc3339 } };
      }
      case "databricks:index/mwsNetworkConnectivityConfig:MwsNetworkConnectivityConfig": {
        const nccId = uuid();
        return {
          id: `${inputs.accountId ?? "account"}/${nccId}`,
          outputs: {
            networkConnectivityConfigId: nccId,
            name: inputs.name ?? args.name,
            egressConfig: {
              defaultRules: { awsStableIpRule: { cidrBlocks: ["198.51.100.0/28", "198.51.100.16/28"] } },
            },
          },
        };
      }
      case "databricks:index/mwsNccPrivateEndpointRule:MwsNccPrivateEndpointRule": {
        const ruleId = uuid();
        // AWS creates the endpoint asynchronously: the create response carries no VPC endpoint id.
        return {
          id: `${inputs.networkConnectivityConfigId}/${ruleId}`,
          outputs: { ruleId, connectionState: "PENDING", vpcEndpointId: "", endpointName: `databricks-${h(8)}` },
        };
      }
      case "databricks:index/mwsNccBinding:MwsNccBinding":
        return { id: `${inputs.workspaceId}`, outputs: {} };
      case "databricks:index/accountNetworkPolicy:AccountNetworkPolicy":
        return { id: String(inputs.networkPolicyId ?? h(8)), outputs: {} };
      case "databricks:index/workspaceNetworkOption:WorkspaceNetworkOption":
        return { id: String(inputs.workspaceId), outputs: {} };
      case "databricks:index/secretScope:SecretScope":
        return {
          id: String(inputs.name ?? args.name),
          outputs: { name: inputs.name ?? args.name, backendType: "DATABRICKS" },
        };
      case "databricks:index/secretAcl:SecretAcl":
        return { id: `${inputs.scope}|||${inputs.principal}`, outputs: {} };
      case "databricks:index/secret:Secret":
        return {
          id: `${inputs.scope}|||${inputs.key}`,
          outputs: {
            configReference: `{{secrets/${inputs.scope}/${inputs.key}}}`,
            lastUpdatedTimestamp: 1764374400000,
          },
        };
      case "databricks:index/modelServing:ModelServing": {
        const name = String(inputs.name ?? args.name);
        return {
          id: name,
          outputs: { name, servingEndpointId: h(32), endpointUrl: `/serving-endpoints/${name}/invocations` },
        };
      }
      case "databricks:index/permissions:Permissions":
        return { id: `/serving-endpoints/${inputs.servingEndpointId}`, outputs: { objectType: "serving-endpoints" } };
      case POLICY_RESTORE_TYPE:
        // Keeps its inputs; it calls the account API only when deleted.
        return { id: `${inputs.accountId}/${inputs.workspaceId}`, outputs: {} };
      case RULE_VPC_ENDPOINT_TYPE:
        // The rule waiter: its provider polls Databricks until AWS has created the endpoint.
        return {
          id: `${inputs.nccId}/${inputs.ruleId}`,
          outputs: { vpcEndpointId: `vpce-0${h(16)}`, connectionState: "PENDING" },
        };
      default:
        if (args.type.startsWith("pulumi:providers:")) return { id: h(36), outputs: {} };
        return {
          id: `${args.name}-${h(8)}`,
          outputs: args.type.startsWith("aws:")
            ? { arn: this.arn(args.type.split(":")[1].split("/")[0], args.name) }
            : {},
        };
    }
  }

  /** Realistic results of the invokes (data sources) the program calls. */
  invoke(args: { token: string; inputs: Record<string, any> }): Record<string, unknown> {
    switch (args.token) {
      case "aws:index/getAvailabilityZones:getAvailabilityZones": {
        const letters = ["a", "b", "c", "d", "e", "f"];
        return {
          names: letters.map((l) => `${this.region}${l}`),
          zoneIds: letters.map((_, i) => `use1-az${i + 1}`),
          id: this.region,
        };
      }
      case "aws:ec2/getInstanceTypeOfferings:getInstanceTypeOfferings": {
        // Every instance type offered in every zone of getAvailabilityZones above (by zone id); tests
        // answer fewer zones to see the AZ choice skip one or stop the program.
        const types = ((args.inputs.filters ?? []) as { name: string; values: string[] }[]).find(
          (f) => f.name === "instance-type",
        )?.values ?? ["t3.small"];
        const locations = ["a", "b", "c", "d", "e", "f"].flatMap((_, i) => types.map(() => `use1-az${i + 1}`));
        return {
          instanceTypes: locations.map((_, i) => types[i % types.length]),
          locations,
          locationTypes: locations.map(() => args.inputs.locationType ?? "region"),
          id: this.region,
          region: this.region,
        };
      }
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return {
          accountId: MOCK_AWS_ACCOUNT_ID,
          arn: `arn:${this.partition}:iam::${MOCK_AWS_ACCOUNT_ID}:user/ci`,
          userId: "AIDAEXAMPLE",
          id: MOCK_AWS_ACCOUNT_ID,
        };
      case "aws:index/getPartition:getPartition":
        return { partition: this.partition, dnsSuffix: "amazonaws.com", id: this.partition };
      case "aws:index/getRegion:getRegion":
        return { name: this.region, region: this.region, id: this.region };
      case "aws:ssm/getParameter:getParameter":
        return {
          name: args.inputs.name,
          value: `ami-0${hex(String(args.inputs.name), 16)}`,
          type: "String",
          version: 1,
          id: args.inputs.name,
        };
      case "aws:servicequotas/getServiceQuota:getServiceQuota":
        // An account whose "EC2-VPC Elastic IPs" quota was raised to 20 (default 5), so both example
        // stacks pass; tests answer lower quotas to see the preflight stop the program.
        return {
          serviceCode: args.inputs.serviceCode,
          quotaCode: args.inputs.quotaCode,
          quotaName: "EC2-VPC Elastic IPs",
          value: 20,
          defaultValue: 5,
          adjustable: true,
          globalQuota: false,
          arn: `arn:${this.partition}:servicequotas:${this.region}:${MOCK_AWS_ACCOUNT_ID}:${args.inputs.serviceCode}/${args.inputs.quotaCode}`,
          region: this.region,
          serviceName: "Amazon Elastic Compute Cloud (Amazon EC2)",
          usageMetrics: [],
          id: `${args.inputs.serviceCode}/${args.inputs.quotaCode}`,
        };
      case "aws:ec2/getVpcs:getVpcs":
        return { ids: filterValues(args.inputs, "vpc-id"), id: this.region, region: this.region, tags: {} };
      case "aws:ec2/getSubnets:getSubnets":
        return { ids: filterValues(args.inputs, "subnet-id"), id: this.region, region: this.region, tags: {} };
      case "aws:ec2/getVpc:getVpc": {
        const id = String(args.inputs.id);
        return {
          id,
          arn: this.arn("ec2", `vpc/${id}`),
          cidrBlock: MOCK_EXISTING_VPC_CIDR,
          enableDnsSupport: true,
          enableDnsHostnames: true,
          mainRouteTableId: `rtb-0${hex(`main/${id}`, 16)}`,
          region: this.region,
          tags: {},
        };
      }
      case "aws:ec2/getSubnet:getSubnet": {
        const id = String(args.inputs.id);
        const zone = parseInt(id.slice(-1), 16) % 6;
        return {
          id,
          arn: this.arn("ec2", `subnet/${id}`),
          vpcId: MOCK_EXISTING_VPC_ID,
          availabilityZone: `${this.region}${"abcdef"[zone]}`,
          availabilityZoneId: `use1-az${zone + 1}`,
          cidrBlock: `10.80.${parseInt(hex(id, 2), 16)}.0/24`,
          availableIpAddressCount: 250,
          mapPublicIpOnLaunch: false,
          region: this.region,
          tags: {},
        };
      }
      case "aws:ec2/getRouteTables:getRouteTables": {
        const subnets = filterValues(args.inputs, "association.subnet-id");
        return {
          ids: subnets.map((s) => `rtb-0${hex(`rt/${s}`, 16)}`),
          id: this.region,
          region: this.region,
          tags: {},
        };
      }
      case "aws:ec2/getRouteTable:getRouteTable": {
        const id = String(args.inputs.routeTableId);
        return {
          id,
          routeTableId: id,
          routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: `igw-0${hex(`igw/${id}`, 16)}` }],
          associations: [],
          region: this.region,
          tags: {},
        };
      }
      case "aws:ec2/getEips:getEips":
        // A new stack in an account with no Elastic IPs yet in the region.
        return { allocationIds: [], publicIps: [], id: this.region, region: this.region };
      // No Resource Manager offline: an empty token makes the Azure models preflight skip its reads.
      case "azure-native:authorization:getClientConfig":
        return {
          clientId: "00000000-0000-4000-8000-000000000001",
          objectId: "00000000-0000-4000-8000-000000000002",
          subscriptionId: MOCK_AZURE_SUBSCRIPTION_ID,
          tenantId: MOCK_AZURE_TENANT_ID,
        };
      case "azure-native:cognitiveservices:getAccount": {
        // The account `azure.existingAccount` adopts: an OpenAI account in eastus2 whose subdomain is its
        // name, behind a Deny firewall that already lets one address of its owner through.
        const name = String(args.inputs.accountName);
        return {
          id: `/subscriptions/${MOCK_AZURE_SUBSCRIPTION_ID}/resourceGroups/${args.inputs.resourceGroupName}/providers/Microsoft.CognitiveServices/accounts/${name}`,
          name,
          kind: "OpenAI",
          location: MOCK_EXISTING_ACCOUNT_LOCATION,
          sku: { name: "S0" },
          tags: { owner: "data-platform" },
          properties: {
            customSubDomainName: name,
            endpoint: `https://${name}.openai.azure.com/`,
            publicNetworkAccess: "Enabled",
            disableLocalAuth: false,
            networkAcls: {
              defaultAction: "Deny",
              bypass: "AzureServices",
              ipRules: [{ value: MOCK_EXISTING_ACCOUNT_IP }],
              virtualNetworkRules: [],
            },
          },
        };
      }
      case "azure-native:authorization:getClientToken":
        return { token: "" };
      case "databricks:index/getCurrentUser:getCurrentUser":
        // A service principal: its user name is its application id (what a secret ACL names).
        return {
          id: "4242424242424242",
          userName: MOCK_DATABRICKS_DEPLOY_IDENTITY,
          aclPrincipalId: `servicePrincipals/${MOCK_DATABRICKS_DEPLOY_IDENTITY}`,
          alphanumeric: MOCK_DATABRICKS_DEPLOY_IDENTITY.replace(/-/g, "_"),
          externalId: "",
          home: `/Users/${MOCK_DATABRICKS_DEPLOY_IDENTITY}`,
          repos: `/Repos/${MOCK_DATABRICKS_DEPLOY_IDENTITY}`,
          workspaceUrl: "",
        };
      case "azure-native:cognitiveservices:listAccountKeys":
        return {
          key1: `mock-key1-${hex(JSON.stringify(args.inputs), 24)}`,
          key2: `mock-key2-${hex(JSON.stringify(args.inputs), 24)}`,
        };
      default:
        throw new Error(`no invented result for invoke ${args.token}: add one to engine/inventedValues.ts`);
    }
  }
}
