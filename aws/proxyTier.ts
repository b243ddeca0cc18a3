import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { type ProxyNetwork } from "./network";
import { al2023AmiParameter, architectureOf } from "./ami";
import { refreshMaxHealthyPercentage } from "./capacity";
import {
  capacityWaitSeconds,
  CONNECTION_DRAIN_SECONDS,
  HEALTH_CHECK_PATH,
  LIFECYCLE_HEARTBEAT_SECONDS,
  PROXY_PORTS,
  STREAM_IDLE_TIMEOUT_SECONDS,
  PROXY_WARMUP_SECONDS,
  REFRESH_WARMUP_SECONDS,
} from "./constants";
import { managedPolicyArn } from "./partition";
import { proxyInstancePolicy } from "./proxyInstancePolicy";
import { renderHaproxyConfig } from "./haproxyConfig";
import { renderUserData } from "./userData";
import { INITIAL_LAUNCH_HOOK, launchHookResourceName, launchHookSettings } from "./launchHook";
import { PROXY_SYSLOG_TARGET } from "./proxyLogShipping";
import { proxyLogWriterPolicy } from "./proxyLogsPolicy";
import { type AlarmFactory } from "./alerts";
import { flowsPerProxyMetrics, GROUP_METRICS, TARGET_FLOWS_PER_PROXY } from "./observability";
import { accountPolicyJson } from "./accountPolicy";

export interface ProxyTierArgs {
  readonly region: string;
  readonly network: ProxyNetwork;
  readonly instanceType: string;
  readonly minSize: number;
  readonly desiredCapacity: number;
  readonly maxSize: number;
  /** Pool size: bounds how far an instance refresh may launch ahead. */
  readonly eipPoolSize: number;
  /** Azure OpenAI FQDNs: the SNI allow list and the backends. */
  readonly allowedFqdns: pulumi.Input<string[]>;
  /** Fixed group name, so the EventBridge rule and IAM can name the group before it exists. */
  readonly asgName: string;
  /** The launch lifecycle hook the EIP assigner completes. */
  readonly lifecycleHookName: string;
  /**
   * How long a launch waits for its pool address before it is ABANDONed; updated in place.
   * @default LIFECYCLE_HEARTBEAT_SECONDS (600)
   */
  readonly launchHookHeartbeatSeconds?: number;
  /** @default true */
  readonly nlbDeletionProtection?: boolean;
  /**
   * Age in seconds at which the group replaces a proxy onto the then-current image; 0 = never.
   * @default 0
   */
  readonly maxInstanceLifetimeSeconds?: number;
  /**
   * What must exist before the first launch: the EIP assigner (its rule, target and permission), or
   * the first instances' lifecycle events go unheard and they are abandoned at the heartbeat; and the
   * whole network (routes, S3 endpoint), or the bootstrap races it.
   */
  readonly launchAfter?: pulumi.Input<pulumi.Resource>[];
  /** Creates the tier's alarms (target health), with the stack's alert destinations as actions. */
  readonly alarms: AlarmFactory;
  /** Ship HAProxy's log to this existing log group (ProxyLogs creates it); absent, it stays on the instance. */
  readonly logShipping?: { readonly logGroupName: string };
  readonly tags?: Record<string, string>;
}

/** Target tracking is on whenever the group has room to move (maxSize above minSize). */
export function scalesOnFlows(args: Pick<ProxyTierArgs, "minSize" | "maxSize">): boolean {
  return args.maxSize > args.minSize;
}

/**
 * Group inputs an `up` leaves alone: with scaling on, desiredCapacity (it applies when the group is
 * created; afterwards the policy, or an operator, owns the running count).
 */
export function ignoredGroupInputs(args: Pick<ProxyTierArgs, "minSize" | "maxSize">): string[] {
  return scalesOnFlows(args) ? ["desiredCapacity"] : [];
}

/**
 * The data path: an Auto Scaling group of HAProxy layer-4 proxies in the public subnets behind an
 * internal NLB on TCP 443. Proxies have no public IP but their pool EIP (attached by the launch hook),
 * IMDSv2 only, SSM instead of SSH, and leave rotation when they cannot reach Azure.
 */
export class ProxyTier extends pulumi.ComponentResource {
  public readonly nlb: aws.lb.LoadBalancer;
  public readonly targetGroup: aws.lb.TargetGroup;
  public readonly launchTemplate: aws.ec2.LaunchTemplate;
  public readonly group: aws.autoscaling.Group;
  public readonly launchHook: aws.autoscaling.LifecycleHook;
  public readonly proxySecurityGroup: aws.ec2.SecurityGroup;
  public readonly nlbSecurityGroup: aws.ec2.SecurityGroup;
  public readonly instanceRole: aws.iam.Role;

  constructor(name: string, args: ProxyTierArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dbx-aoai-link:aws:ProxyTier", name, {}, opts);
    const parent = { parent: this };
    const { network } = args;
    const tag = (role: string) => ({ ...args.tags, Name: `${name}-${role}` });

    // --- Security groups: nothing reaches a proxy but the NLB (and in-VPC metrics scrapers).
    this.nlbSecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-nlb-sg`,
      {
        vpcId: network.vpcId,
        description: "Internal NLB of the Azure OpenAI proxies: PrivateLink traffic only (no inbound rules)",
        tags: tag("nlb"),
      },
      parent,
    );
    this.proxySecurityGroup = new aws.ec2.SecurityGroup(
      `${name}-proxy-sg`,
      {
        vpcId: network.vpcId,
        description: "HAProxy egress proxies: TLS and health from the NLB, metrics from the VPC",
        tags: tag("proxy"),
      },
      parent,
    );
    const fromNlb = [
      { role: "tls", port: PROXY_PORTS.tls, description: "TLS passthrough from the NLB" },
      { role: "health", port: PROXY_PORTS.health, description: "NLB health checks" },
    ];
    for (const rule of fromNlb) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-proxy-in-${rule.role}`,
        {
          securityGroupId: this.proxySecurityGroup.id,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          referencedSecurityGroupId: this.nlbSecurityGroup.id,
          description: rule.description,
        },
        parent,
      );
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-nlb-out-${rule.role}`,
        {
          securityGroupId: this.nlbSecurityGroup.id,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          referencedSecurityGroupId: this.proxySecurityGroup.id,
          description: rule.description,
        },
        parent,
      );
    }
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-proxy-in-metrics`,
      {
        securityGroupId: this.proxySecurityGroup.id,
        ipProtocol: "tcp",
        fromPort: PROXY_PORTS.metrics,
        toPort: PROXY_PORTS.metrics,
        cidrIpv4: network.cidrBlock,
        description: "Prometheus metrics, from inside the VPC only",
      },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-proxy-out-https`,
      {
        securityGroupId: this.proxySecurityGroup.id,
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "0.0.0.0/0",
        description: "Azure OpenAI, package repositories (S3) and SSM, all over HTTPS",
      },
      parent,
    );

    // --- Instance identity: SSM Session Manager only; no key pair, no other permission.
    this.instanceRole = new aws.iam.Role(
      `${name}-instance-role`,
      {
        description: "Azure OpenAI egress proxies: SSM management only",
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }),
        tags: tag("instance"),
      },
      parent,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-instance-ssm`,
      {
        role: this.instanceRole.name,
        policyArn: managedPolicyArn(args.region, "AmazonSSMManagedInstanceCore"),
      },
      parent,
    );
    const identity = aws.getCallerIdentityOutput({}, parent);
    new aws.iam.RolePolicy(
      `${name}-instance-watchdog`,
      {
        role: this.instanceRole.name,
        policy: accountPolicyJson(args.region, identity.accountId, (scope) =>
          proxyInstancePolicy({ ...scope, asgName: args.asgName }),
        ),
      },
      parent,
    );
    const logShipping = args.logShipping;
    if (logShipping) {
      new aws.iam.RolePolicy(
        `${name}-instance-logs`,
        {
          role: this.instanceRole.name,
          policy: accountPolicyJson(args.region, identity.accountId, (scope) =>
            proxyLogWriterPolicy({ ...scope, logGroupName: logShipping.logGroupName }),
          ),
        },
        parent,
      );
    }
    const instanceProfile = new aws.iam.InstanceProfile(
      `${name}-instance-profile`,
      { role: this.instanceRole.name, tags: tag("instance") },
      parent,
    );

    const userData = pulumi.all([args.allowedFqdns, network.cidrBlock]).apply(([allowedFqdns, vpcCidr]) =>
      Buffer.from(
        renderUserData({
          haproxyConfig: renderHaproxyConfig({
            allowedFqdns,
            vpcCidr,
            ...(logShipping ? { syslogTarget: PROXY_SYSLOG_TARGET } : {}),
          }),
          watchdog: { healthPort: PROXY_PORTS.health },
          ...(logShipping ? { logShipping } : {}),
        }),
      ).toString("base64"),
    );

    this.launchTemplate = new aws.ec2.LaunchTemplate(
      `${name}-lt`,
      {
        description: "HAProxy layer-4 proxy to Azure OpenAI (Amazon Linux 2023)",
        // Resolved by EC2 at launch: always the current AL2023 image, no AMI lookup at deploy time.
        imageId: `resolve:ssm:${al2023AmiParameter(architectureOf(args.instanceType))}`,
        instanceType: args.instanceType,
        userData,
        iamInstanceProfile: { arn: instanceProfile.arn },
        metadataOptions: {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
          instanceMetadataTags: "disabled",
        },
        // Explicitly no public IP: the pool EIP is the only public address a proxy ever has.
        networkInterfaces: [
          {
            deviceIndex: 0,
            associatePublicIpAddress: "false",
            deleteOnTermination: "true",
            securityGroups: [this.proxySecurityGroup.id],
          },
        ],
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: { volumeSize: 8, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
          },
        ],
        monitoring: { enabled: true },
        updateDefaultVersion: true,
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags: tag("proxy"),
        })),
        tags: tag("lt"),
      },
      parent,
    );

    // --- Load balancing: health is HAProxy's own verdict on its upstreams, over HTTP.
    this.targetGroup = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        vpcId: network.vpcId,
        port: PROXY_PORTS.tls,
        protocol: "TCP",
        targetType: "instance",
        deregistrationDelay: CONNECTION_DRAIN_SECONDS,
        healthCheck: {
          enabled: true,
          protocol: "HTTP",
          port: String(PROXY_PORTS.health),
          path: HEALTH_CHECK_PATH,
          matcher: "200",
          interval: 10,
          timeout: 5,
          healthyThreshold: 2,
          unhealthyThreshold: 2,
        },
        tags: tag("tg"),
      },
      parent,
    );

    this.nlb = new aws.lb.LoadBalancer(
      `${name}-nlb`,
      {
        loadBalancerType: "network",
        internal: true,
        subnets: network.privateSubnetIds,
        securityGroups: [this.nlbSecurityGroup.id],
        // PrivateLink traffic carries no client address to filter on; the endpoint service's allowed
        // principal and acceptance are the gate.
        enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off",
        enableCrossZoneLoadBalancing: true,
        enableDeletionProtection: args.nlbDeletionProtection ?? true,
        tags: tag("nlb"),
      },
      parent,
    );

    new aws.lb.Listener(
      `${name}-tls`,
      {
        loadBalancerArn: this.nlb.arn,
        port: PROXY_PORTS.tls,
        protocol: "TCP",
        // Streams may be silent for minutes; the NLB must not cut what HAProxy's tunnel timeout keeps.
        tcpIdleTimeoutSeconds: STREAM_IDLE_TIMEOUT_SECONDS,
        defaultActions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
        tags: tag("tls"),
      },
      parent,
    );

    const scales = scalesOnFlows(args);
    const heartbeat = args.launchHookHeartbeatSeconds ?? LIFECYCLE_HEARTBEAT_SECONDS;
    // --- The group. The launch hook is created with it: a launch waits (Pending:Wait) until the EIP
    // assigner completes it, and is ABANDONed if nothing does within the heartbeat.
    const propagated = { ...args.tags, Name: `${name}-proxy` };
    this.group = new aws.autoscaling.Group(
      `${name}-asg`,
      {
        name: args.asgName,
        vpcZoneIdentifiers: network.publicSubnetIds,
        minSize: args.minSize,
        maxSize: args.maxSize,
        desiredCapacity: args.desiredCapacity,
        launchTemplate: {
          id: this.launchTemplate.id,
          version: this.launchTemplate.latestVersion.apply((v) => String(v)),
        },
        targetGroupArns: [this.targetGroup.arn],
        // Replace only for faults of the instance itself: EC2 status, plus the on-instance watchdog
        // (HAProxy down, no pool address) through SetInstanceHealth. The target group's health also
        // reflects Azure, which is the same for every proxy: the NLB routes around it, but as the group's
        // health type ("ELB") it would recycle the whole fleet during an Azure or DNS incident.
        healthCheckType: "EC2",
        healthCheckGracePeriod: PROXY_WARMUP_SECONDS,
        // A green `up` means proxies can serve: at creation the group waits for minSize healthy targets
        // (which reach Azure through their pool address), for as long as one abandoned launch and its
        // relaunch can take, twice (capacityWaitSeconds), not the provider's 10 min (= the default heartbeat).
        minElbCapacity: args.minSize,
        waitForCapacityTimeout: `${capacityWaitSeconds(heartbeat)}s`,
        // Else the provider ends that wait at the first Failed scaling activity (e.g. one zone out of capacity)
        // although the group retries (hashicorp/terraform-provider-aws#29753, #41580); the timeout still bounds it.
        // Provider-only, not ForceNew: an in-place update for existing groups.
        ignoreFailedScalingActivities: true,
        ...(args.maxInstanceLifetimeSeconds ? { maxInstanceLifetime: args.maxInstanceLifetimeSeconds } : {}),
        // Replacements outside a refresh (unhealthy, max lifetime) also launch first and keep 100 %,
        // within the pool's spare addresses, like the refresh below.
        instanceMaintenancePolicy: {
          minHealthyPercentage: 100,
          maxHealthyPercentage: refreshMaxHealthyPercentage(args.maxSize, args.eipPoolSize),
        },
        // Frozen (every field replaces the group); the standalone hook below carries later changes.
        initialLifecycleHooks: [{ ...INITIAL_LAUNCH_HOOK }],
        instanceRefresh: {
          strategy: "Rolling",
          preferences: {
            minHealthyPercentage: 100,
            maxHealthyPercentage: refreshMaxHealthyPercentage(args.maxSize, args.eipPoolSize),
            // Past the grace period and the watchdog's verdict (REFRESH_WARMUP_SECONDS).
            instanceWarmup: String(REFRESH_WARMUP_SECONDS),
            // No autoRollback: AWS refuses it for images resolved from an SSM parameter.
          },
        },
        tags: Object.entries(propagated).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
        // For the dashboard and the scaling policy's flows-per-proxy metric.
        metricsGranularity: "1Minute",
        enabledMetrics: GROUP_METRICS as aws.autoscaling.Metric[],
      },
      {
        parent: this,
        dependsOn: args.launchAfter,
        // With target tracking on, the policy owns the running count: an `up` must not reset a scale-out
        // to the configured desiredCapacity (it applies when the group is created; minSize/maxSize still apply).
        ignoreChanges: ignoredGroupInputs(args),
      },
    );

    // The same hook, managed after creation: heartbeat and default result update in place, a new name
    // replaces only this hook (aws/launchHook.ts). After what launches depend on (the EIP assigner): a
    // renamed hook must not exist before the assigner answers it, or a launch in between would be abandoned.
    this.launchHook = new aws.autoscaling.LifecycleHook(
      launchHookResourceName(name, args.lifecycleHookName),
      { autoscalingGroupName: this.group.name, ...launchHookSettings(heartbeat, args.lifecycleHookName) },
      { parent: this, dependsOn: args.launchAfter },
    );

    // --- Autoscaling: track concurrent flows per proxy (why not CPU: see observability.ts), bounded by
    // maxSize, which config validation keeps below the pool size.
    if (scales) {
      new aws.autoscaling.Policy(
        `${name}-flows-per-proxy`,
        {
          autoscalingGroupName: this.group.name,
          policyType: "TargetTrackingScaling",
          estimatedInstanceWarmup: PROXY_WARMUP_SECONDS,
          targetTrackingConfiguration: {
            targetValue: TARGET_FLOWS_PER_PROXY,
            customizedMetricSpecification: {
              metrics: this.nlb.arnSuffix.apply((suffix) => flowsPerProxyMetrics(suffix, args.asgName)),
            },
          },
        },
        parent,
      );
    }

    // --- Alarms: fewer healthy proxies than minSize; any proxy unhealthy for 5 minutes.
    const targetDims = { TargetGroup: this.targetGroup.arnSuffix, LoadBalancer: this.nlb.arnSuffix };
    if (args.minSize > 0) {
      args.alarms.alarm(
        `${name}-healthy-below-min`,
        {
          alarmDescription: `Fewer than minSize (${args.minSize}) proxies pass the NLB health check (HAProxy cannot reach Azure, or instances are missing): capacity and AZ redundancy are reduced`,
          namespace: "AWS/NetworkELB",
          metricName: "HealthyHostCount",
          dimensions: targetDims,
          statistic: "Minimum",
          period: 60,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          threshold: args.minSize,
          comparisonOperator: "LessThanThreshold",
          // No data means no healthy target reported at all.
          treatMissingData: "breaching",
          tags: tag("alarm"),
        },
        parent,
      );
    }
    args.alarms.alarm(
      `${name}-unhealthy-5min`,
      {
        alarmDescription:
          "A proxy has failed the NLB health check for 5 minutes. The group does NOT replace it for that (EC2 health checks): the NLB only routes around it. If every proxy fails, suspect Azure or DNS reachability (Azure firewall, endpoint, resolver); if one does, a local fault (HAProxy, pool address), which the on-instance watchdog replaces: read its HAProxy log and the watchdog's journal through SSM",
        namespace: "AWS/NetworkELB",
        metricName: "UnHealthyHostCount",
        dimensions: targetDims,
        statistic: "Minimum",
        period: 60,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        threshold: 1,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        treatMissingData: "notBreaching",
        tags: tag("alarm"),
      },
      parent,
    );

    this.registerOutputs({ nlbArn: this.nlb.arn, asgName: this.group.name, targetGroupArn: this.targetGroup.arn });
  }
}
