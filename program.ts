/**
 * Composes the components and wires their outputs across the three clouds. index.ts calls it with the
 * validated config; tests call it directly under mocks.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "./config/types";
import { commonTags } from "./config/tags";
import { EipPool } from "./aws/eipPool";
import { ProxyNetwork } from "./aws/network";
import { ProxyTier } from "./aws/proxyTier";
import { ProxyLogs } from "./aws/proxyLogs";
import { capacityWarnings } from "./aws/proxySizing";
import { EipAssigner } from "./aws/eipAssigner";
import { AlertTopic, alertsWarning } from "./aws/alerts";
import { proxyDashboard } from "./aws/dashboard";
import { EndpointService } from "./aws/endpointService";
import { ConnectionRejecter } from "./aws/connectionRejecter";
import { OpenAiAccount } from "./azure/openAiAccount";
import { modelWarnings } from "./azure/models";
import { databricksRegionFacts } from "./databricks/regions";
import { accountProvider, workspaceProvider } from "./databricks/providers";
import { ServerlessNetwork } from "./databricks/serverlessNetwork";
import { type AzureCredentials, ServingEndpoint } from "./databricks/servingEndpoint";
import { EntraServicePrincipal } from "./azure/entraServicePrincipal";
import * as databricks from "@pulumi/databricks";
import { preflight, waitFor } from "./preflight/gate";
import { checkEipQuota, EIP_QUOTA_PREFLIGHT } from "./preflight/eipQuota";
import { AZURE_MODELS_PREFLIGHT, checkAzureModels } from "./preflight/azureModels";
import { azureModelFacts } from "./preflight/azureModelsFacts";
import { readEipQuotaFacts } from "./preflight/eipQuotaFacts";
import { AVAILABILITY_ZONES_PREFLIGHT, checkZones, chooseZones, zoneWarnings } from "./preflight/availabilityZones";
import { readZoneFacts } from "./preflight/availabilityZonesFacts";
import { checkWorkspaceAttachments, WORKSPACE_ATTACHMENTS_PREFLIGHT } from "./preflight/workspaceAttachments";
import { workspaceAttachmentFacts } from "./preflight/workspaceAttachmentsFacts";
import { adoptedPolicyNotice } from "./databricks/adoption";
import { checkExistingVpc, EXISTING_VPC_PREFLIGHT, placementOf } from "./preflight/existingVpc";
import { readExistingVpcFacts } from "./preflight/existingVpcFacts";
import { checkExistingAccount, EXISTING_ACCOUNT_PREFLIGHT } from "./preflight/existingAccount";
import { readExistingAccountFacts } from "./preflight/existingAccountFacts";
import { ASSIGNER_NAME, REJECTER_NAME, resourceNames } from "./config/names";
import { answeredLaunchHooks, launchHookWarnings } from "./aws/launchHook";

/** The stack outputs contract (docs/architecture.md, "Stack outputs contract"): other teams read these through StackReference. */
export interface ProgramOutputs {
  readonly egressIps: pulumi.Output<string[]>;
  readonly azureOpenAiEndpoint: pulumi.Output<string>;
  readonly azureOpenAiFqdn: pulumi.Output<string>;
  readonly deployments: pulumi.Output<Record<string, string>>;
  /** Every account's FQDN, the primary first: the SNI allow list and the NCC rule's domain names. */
  readonly azureOpenAiFqdns: pulumi.Output<string[]>;
  /** Account name → its endpoint, FQDN, location and deployments (name → model), for every account. */
  readonly azureOpenAiAccounts: pulumi.Output<Record<string, AzureOpenAiAccountOutput>>;
  readonly endpointServiceName: pulumi.Output<string>;
  readonly endpointServiceId: pulumi.Output<string>;
  readonly nlbArn: pulumi.Output<string>;
  readonly proxyAsgName: pulumi.Output<string>;
  readonly nccId: pulumi.Output<string>;
  readonly privateEndpointRuleId: pulumi.Output<string>;
  readonly networkPolicyId: pulumi.Output<string>;
  /** Only when `databricks.servingEndpoint` is configured. */
  readonly servingEndpointName?: pulumi.Output<string>;
  /** Only with a serving endpoint: its secret scope, and the principals the scope's ACL names (verify's allow list). */
  readonly secretScopeName?: pulumi.Output<string>;
  readonly secretScopePrincipals?: pulumi.Output<string[]>;
  /** `aws:region`: where the endpoint service is; workspaces that attach must be in it. */
  readonly awsRegion: pulumi.Output<string>;
  readonly databricksAccountId: pulumi.Output<string>;
  /** Account console host, for the account-level provider of a consumer. */
  readonly databricksAccountHost: pulumi.Output<string>;
}

export function buildProgram(config: StackConfig): ProgramOutputs {
  const { stack, awsRegion: region, proxy: proxyConfig, databricks: dbx } = config;
  const accountsConfig = config.azure.accounts;
  accountsConfig.forEach((a) => {
    for (const warning of modelWarnings(a.deployments, new Date().toISOString().slice(0, 10), a.keys.deployments))
      pulumi.log.warn(warning);
  });
  const tags = commonTags(stack, config.tags);
  const names = resourceNames(stack, config.namePrefix);
  const regionFacts = databricksRegionFacts(region, dbx.shard);
  if (!regionFacts)
    throw new Error(`no Databricks facts for ${region} (${dbx.shard}): config validation should have caught this`);
  for (const warning of capacityWarnings(proxyConfig.instanceType)) void pulumi.log.warn(warning);
  for (const warning of launchHookWarnings(proxyConfig.launchHookName, proxyConfig.launchHookHeartbeatSeconds))
    void pulumi.log.warn(warning);

  // AWS egress addresses → Azure firewall; allocated only when the region's EIP quota leaves room.
  const eipQuota = preflight(
    EIP_QUOTA_PREFLIGHT.name,
    readEipQuotaFacts({ region, poolSize: proxyConfig.eipPoolSize, eipTagKey: proxyConfig.eipTagKey }),
    checkEipQuota,
  );
  // Azure model/SKU offer and quota: checked before anything is allocated, so a first `up` cannot strand
  // the AWS half at a failing Deployment.
  const azureModels = preflight(AZURE_MODELS_PREFLIGHT.name, azureModelFacts(config), (facts) =>
    facts ? checkAzureModels(facts) : [],
  );
  const pool = new EipPool("egress", {
    size: proxyConfig.eipPoolSize,
    tagKey: proxyConfig.eipTagKey,
    tags,
    allocateAfter: waitFor(eipQuota, azureModels),
  });
  // An adopted primary account (azure.existingAccount) is read at preview and taken over without losing its rules.
  const existingAccount = config.azure.existingAccount;
  const adopt = existingAccount && {
    importId: existingAccount,
    existing: preflight(
      EXISTING_ACCOUNT_PREFLIGHT.name,
      readExistingAccountFacts(config, existingAccount),
      checkExistingAccount,
    ).apply((facts) => facts.account!),
  };
  // Every account's firewall allows the whole pool; the primary keeps the names stacks always had.
  const accounts = accountsConfig.map(
    (a, i) =>
      new OpenAiAccount(accountComponentName(a.name, i), {
        resourceGroupName: a.resourceGroupName,
        createResourceGroup: !a.existingResourceGroup && !(i === 0 && adopt),
        ...(i === 0 && adopt ? { adopt } : {}),
        location: a.location,
        accountName: a.name,
        deployments: a.deployments,
        allowedIps: pool.publicIps.apply((ips) => [...ips, ...config.azure.extraAllowedIps]),
        readKey: dbx.servingEndpoint?.account === a.name && config.azure.auth === "key",
        entraOnly: config.azure.auth === "entra",
        restoreSoftDeleted: config.azure.restoreSoftDeleted,
        tags,
      }),
  );
  // The first account on purpose: the singular outputs keep describing the primary (compatibility).
  const openai = accounts[0];
  const accountNamed = (name: string) => accounts[accountsConfig.findIndex((a) => a.name === name)];
  // One SNI name, one backend and one NCC rule domain name per account, in config order.
  const allowedFqdns = pulumi.all(accounts.map((a) => a.fqdn));

  // The proxy tier; its group launches only once the EIP assigner can hear its launch events.
  const asgName = names.asgName;
  const existingVpc = proxyConfig.existingVpc;
  // An existing VPC's subnets fix the zones; otherwise zones by id, only where the instance type is
  // offered, in the name order stacks were created with.
  const placement =
    existingVpc &&
    preflight(EXISTING_VPC_PREFLIGHT.name, readExistingVpcFacts(existingVpc), checkExistingVpc).apply(placementOf);
  const zones = placement
    ? placement.zones.apply((z) => [...z])
    : preflight(
        AVAILABILITY_ZONES_PREFLIGHT.name,
        readZoneFacts({
          region,
          instanceType: proxyConfig.instanceType,
          wanted: proxyConfig.availabilityZones,
          pinnedIds: proxyConfig.availabilityZoneIds,
        }),
        checkZones,
      ).apply((facts) => {
        for (const warning of zoneWarnings(facts)) pulumi.log.warn(warning);
        return chooseZones(facts);
      });
  const network = new ProxyNetwork("proxy-net", {
    cidrBlock: proxyConfig.vpcCidr,
    region,
    availabilityZones: proxyConfig.availabilityZones,
    zones,
    tags,
    ...(placement && { existingVpc: placement }),
  });
  // Every alarm notifies the alert topic (and the configured existing one), on ALARM and on OK.
  const alerts = new AlertTopic("alerts", {
    region,
    alerts: config.alerts,
    alarmNamePrefix: names.alarmNamePrefix,
    tags,
  });
  const unheard = alertsWarning(config.alerts);
  if (unheard) pulumi.log.warn(unheard);
  const assigner = new EipAssigner(ASSIGNER_NAME, {
    logGroupName: names.assignerLogGroupName,
    serviceName: names.assignerServiceName,
    region,
    asgName,
    lifecycleHookNames: answeredLaunchHooks(proxyConfig.launchHookName),
    eipTagKey: proxyConfig.eipTagKey,
    eipArns: pool.addresses.map((a) => a.arn),
    vpcArn: network.vpcArn,
    alarms: alerts,
    tags,
  });
  // HAProxy's log and the proxy subnets' flow logs, kept after the instances are gone.
  const proxyLogs = new ProxyLogs("proxy-logs", {
    region,
    haproxyLogGroupName: names.proxyLogGroupName,
    flowLogGroupName: names.proxyFlowLogGroupName,
    proxySubnetIds: network.publicSubnetIdByZone,
    alarms: alerts,
    tags,
  });
  const proxy = new ProxyTier("proxy", {
    region,
    network,
    allowedFqdns,
    asgName,
    lifecycleHookName: proxyConfig.launchHookName,
    instanceType: proxyConfig.instanceType,
    minSize: proxyConfig.minSize,
    desiredCapacity: proxyConfig.desiredCapacity,
    maxSize: proxyConfig.maxSize,
    eipPoolSize: proxyConfig.eipPoolSize,
    nlbDeletionProtection: proxyConfig.nlbDeletionProtection,
    maxInstanceLifetimeSeconds: proxyConfig.maxInstanceLifetimeDays * 86_400,
    launchHookHeartbeatSeconds: proxyConfig.launchHookHeartbeatSeconds,
    launchAfter: [assigner, network, proxyLogs],
    alarms: alerts,
    logShipping: { logGroupName: names.proxyLogGroupName },
    tags,
  });
  proxyDashboard(
    "proxy-dashboard",
    {
      dashboardName: `${names.alarmNamePrefix}proxy-tier`,
      region,
      asgName,
      nlbArnSuffix: proxy.nlb.arnSuffix,
      targetGroupArnSuffix: proxy.targetGroup.arnSuffix,
      functionName: assigner.function.name,
      assignerService: assigner.serviceName,
    },
    { parent: proxy },
  );
  const endpointService = new EndpointService("privatelink", {
    nlbArn: proxy.nlb.arn,
    allowedPrincipal: regionFacts.serverlessPrincipalArn,
    tags,
  });

  // Databricks: endpoint service name + Azure FQDN → NCC rule; the rule's endpoint id → AWS accepter.
  const account = accountProvider("databricks-account", { host: dbx.accountHost, accountId: dbx.accountId });
  const attachments = preflight(
    WORKSPACE_ATTACHMENTS_PREFLIGHT.name,
    workspaceAttachmentFacts({
      host: dbx.accountHost,
      accountId: dbx.accountId,
      workspaceIds: dbx.workspaceIds,
      ours: {
        nccName: names.nccName,
        networkPolicyId: names.networkPolicyId,
        existingNccId: dbx.existingNccId,
        existingNetworkPolicyId: dbx.existingNetworkPolicyId,
      },
    }),
    (facts) => (facts ? checkWorkspaceAttachments(facts) : []),
  );
  if (dbx.existingNetworkPolicyId) {
    const policyId = dbx.existingNetworkPolicyId;
    allowedFqdns.apply((fqdns) => pulumi.log.warn(adoptedPolicyNotice(policyId, fqdns)));
  }
  const serverless = new ServerlessNetwork("serverless", {
    existingNccId: dbx.existingNccId,
    existingNetworkPolicyId: dbx.existingNetworkPolicyId,
    attachAfter: waitFor(attachments),
    region,
    accountId: dbx.accountId,
    accountHost: dbx.accountHost,
    workspaceIds: dbx.workspaceIds,
    nccName: names.nccName,
    endpointServiceName: endpointService.serviceName,
    domainNames: allowedFqdns,
    networkPolicyId: names.networkPolicyId,
    enforcement: dbx.networkPolicy.enforcement,
    allowedInternetDestinations: dbx.networkPolicy.allowedInternetDestinations,
    allowDomainNames: dbx.networkPolicy.allowAzureOpenAiFqdn,
    ingress: regionFacts.networkPolicyIngress ? dbx.networkPolicy : undefined,
    provider: account,
  });
  endpointService.acceptConnection("privatelink-accept-databricks", serverless.vpcEndpointId);
  // Any other Databricks customer may ask to connect: every request but our rule's endpoint is rejected.
  new ConnectionRejecter(REJECTER_NAME, {
    region,
    serviceId: endpointService.serviceId,
    parameterName: names.ruleEndpointParameterName,
    logGroupName: names.rejecterLogGroupName,
    serviceName: names.rejecterServiceName,
    ourEndpointId: serverless.vpcEndpointId,
    alarms: alerts,
    tags,
  });

  let servingOutputs: Pick<ProgramOutputs, "servingEndpointName" | "secretScopeName" | "secretScopePrincipals"> = {};
  if (dbx.servingEndpoint) {
    const served = dbx.servingEndpoint;
    const target = accountNamed(served.account);
    const deployment = accountsConfig
      .find((a) => a.name === served.account)!
      .deployments.find((d) => d.name === served.deployment)!;
    const credentials: AzureCredentials =
      config.azure.auth === "entra"
        ? {
            kind: "entra",
            ...entraIdentity(names.entraApplicationName, [{ key: served.account, id: target.account.id }]),
          }
        : { kind: "key", apiKey: target.primaryKey! };
    // The endpoint's principal must be a user of its workspace; the account can make it one.
    const assignment =
      served.assignPrincipal &&
      new databricks.MwsPermissionAssignment(
        "serving-principal-user",
        {
          workspaceId: served.assignPrincipal.workspaceId,
          principalId: served.assignPrincipal.principalId,
          permissions: ["USER"],
        },
        { provider: account },
      );
    const serving = new ServingEndpoint(
      "serving",
      {
        endpointName: served.name,
        secretScopeName: names.secretScopeName,
        tags: config.tags,
        apiBase: target.endpoint,
        deploymentName: deployment.name,
        modelName: deployment.model,
        credentials,
        aiGateway: served,
        queryGroups: served.queryGroups,
        provider: workspaceProvider("databricks-workspace", { workspaceUrl: served.workspaceUrl }),
      },
      { dependsOn: assignment ? [serverless, assignment] : [serverless] },
    );
    servingOutputs = {
      servingEndpointName: serving.endpointName,
      secretScopeName: serving.secretScopeName,
      secretScopePrincipals: serving.secretScopePrincipals,
    };
  }

  return {
    egressIps: pool.publicIps.apply((ips) => [...ips].sort()),
    azureOpenAiEndpoint: openai.endpoint,
    azureOpenAiFqdn: openai.fqdn,
    deployments: openai.deploymentModels,
    azureOpenAiFqdns: allowedFqdns,
    azureOpenAiAccounts: pulumi
      .all(accounts.map((a) => pulumi.all([a.endpoint, a.fqdn, a.deploymentModels])))
      .apply((rows) =>
        Object.fromEntries(
          rows.map(([endpoint, fqdn, deployments], i) => [
            accountsConfig[i].name,
            { endpoint, fqdn, location: accountsConfig[i].location, deployments },
          ]),
        ),
      ),
    endpointServiceName: endpointService.serviceName,
    endpointServiceId: endpointService.serviceId,
    nlbArn: proxy.nlb.arn,
    proxyAsgName: proxy.group.name,
    nccId: serverless.nccId,
    privateEndpointRuleId: serverless.ruleId,
    networkPolicyId: serverless.networkPolicyId,
    ...servingOutputs,
    awsRegion: pulumi.output(region),
    databricksAccountId: pulumi.output(dbx.accountId),
    databricksAccountHost: pulumi.output(dbx.accountHost),
  };
}

export interface AzureOpenAiAccountOutput {
  readonly endpoint: string;
  readonly fqdn: string;
  readonly location: string;
  readonly deployments: Record<string, string>;
}

/**
 * The primary account keeps the component name every stack had ("aoai"), so its URNs and the
 * account itself never change; the others are keyed by their (globally unique) account name.
 */
export function accountComponentName(accountName: string, index: number): string {
  return index === 0 ? "aoai" : `aoai-${accountName}`;
}

/** The serving endpoint's keyless identity: a service principal allowed to call the given accounts only. */
function entraIdentity(displayName: string, accounts: { key: string; id: pulumi.Input<string> }[]) {
  const identity = new EntraServicePrincipal("serving-identity", { displayName, accounts });
  return { clientId: identity.clientId, tenantId: identity.tenantId, clientSecret: identity.clientSecret };
}
