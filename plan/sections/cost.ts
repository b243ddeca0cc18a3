/**
 * Plan section: a monthly cost estimate per cloud and resource class, from the dated price table
 * (plan/prices.ts), with every assumption printed beside it. Pure: facts read from the plan in, lines out.
 */
import type { Plan } from "../run";
import { TYPES as T } from "../resourceTypes";
import { HOURS_PER_MONTH, PRICED_REGIONS, PRICES, PRICES_AS_OF, PRICE_SOURCE } from "../prices";

/** What the estimate assumes about use; stated in the output. */
export const USAGE_ASSUMPTIONS = {
  /** Average NLB capacity units: LLM traffic is few, long connections; 1 NLCU = 800 new flows/s, 100k active flows or 1 GB/h. */
  nlcu: 1,
  /** Requests to Azure OpenAI leaving AWS per month (prompts; answers come back in, which AWS does not charge). */
  egressGbMonth: 50,
  /** Share of that traffic crossing AZs between the NLB and a proxy (cross-zone load balancing on). */
  crossAzShare: 0.5,
  /** Log ingestion per month (assigner logs; HAProxy logs stay on the instances). */
  logGbMonth: 1,
  /** Assigner invocations per month (launches) and their duration. */
  lambdaInvocations: 100,
  lambdaSeconds: 5,
} as const;

export interface CostFacts {
  readonly region: string;
  readonly instanceType: string;
  readonly desiredCapacity: number;
  readonly poolSize: number;
  readonly loadBalancers: number;
  readonly volumeGbPerInstance: number;
  readonly detailedMonitoring: boolean;
  readonly alarms: number;
  readonly dashboards: number;
  readonly kmsKeys: number;
  readonly lambdaMemoryMb: number;
}

export interface CostLine {
  readonly cloud: "AWS" | "Azure" | "Databricks";
  readonly item: string;
  /** USD per month; undefined when the table has no price for it. */
  readonly usd: number | undefined;
  readonly basis: string;
}

export function estimateMonthlyCost(f: CostFacts): CostLine[] {
  const h = HOURS_PER_MONTH;
  const a = USAGE_ASSUMPTIONS;
  const hourly = PRICES.instanceHour[f.instanceType];
  const lambdaGbSeconds = a.lambdaInvocations * a.lambdaSeconds * (f.lambdaMemoryMb / 1024);
  return [
    {
      cloud: "AWS",
      item: "proxies (EC2)",
      usd: hourly === undefined ? undefined : hourly * h * f.desiredCapacity,
      basis:
        hourly === undefined
          ? `no price for ${f.instanceType} in plan/prices.ts: add it`
          : `${f.desiredCapacity} × ${f.instanceType} at $${hourly}/h × ${h} h (desiredCapacity; scale-out adds to it)`,
    },
    {
      cloud: "AWS",
      item: "proxy disks and detailed monitoring",
      usd:
        f.desiredCapacity *
        (f.volumeGbPerInstance * PRICES.gp3GbMonth +
          (f.detailedMonitoring ? PRICES.detailedMonitoringInstanceMonth : 0)),
      basis: `${f.desiredCapacity} × (${f.volumeGbPerInstance} GB gp3${f.detailedMonitoring ? " + detailed monitoring" : ""})`,
    },
    {
      cloud: "AWS",
      item: "pool public IPv4 addresses",
      usd: f.poolSize * PRICES.publicIpv4Hour * h,
      basis: `${f.poolSize} addresses × $${PRICES.publicIpv4Hour}/h, in use or idle`,
    },
    {
      cloud: "AWS",
      item: "internal NLB",
      usd: f.loadBalancers * (PRICES.nlbHour + a.nlcu * PRICES.nlcuHour) * h,
      basis: `${f.loadBalancers} × ($${PRICES.nlbHour}/h + ${a.nlcu} NLCU × $${PRICES.nlcuHour}/h), assumed ${a.nlcu} NLCU on average`,
    },
    {
      cloud: "AWS",
      item: "data to Azure and across AZs",
      usd: a.egressGbMonth * (PRICES.internetEgressGb + a.crossAzShare * 2 * PRICES.crossAzGb),
      basis: `assumed ${a.egressGbMonth} GB/month out to Azure at $${PRICES.internetEgressGb}/GB, ${a.crossAzShare * 100} % of it across AZs`,
    },
    {
      cloud: "AWS",
      item: "endpoint service (PrivateLink)",
      usd: 0,
      basis:
        "no charge to the service owner; Databricks' interface endpoint and its data processing are billed to Databricks' account",
    },
    {
      cloud: "AWS",
      item: "EIP assigner (Lambda, SQS, EventBridge)",
      usd: (a.lambdaInvocations / 1e6) * PRICES.lambdaMillionRequests + lambdaGbSeconds * PRICES.lambdaGbSecondArm,
      basis: `assumed ${a.lambdaInvocations} launches/month × ${a.lambdaSeconds} s at ${f.lambdaMemoryMb} MB (free tier ignored)`,
    },
    {
      cloud: "AWS",
      item: "alarms, dashboard, logs, alert key",
      usd:
        f.alarms * PRICES.alarmMonth +
        f.dashboards * PRICES.dashboardMonth +
        a.logGbMonth * PRICES.logIngestGb +
        f.kmsKeys * PRICES.kmsKeyMonth,
      basis: `${f.alarms} alarms, ${f.dashboards} dashboard(s), assumed ${a.logGbMonth} GB logs, ${f.kmsKeys} KMS key(s)`,
    },
    {
      cloud: "Azure",
      item: "Azure OpenAI",
      usd: 0,
      basis: "no standing charge for the account (S0); token usage EXCLUDED (it depends on your traffic)",
    },
    {
      cloud: "Databricks",
      item: "NCC, network policy, serving endpoint",
      usd: 0,
      basis: "not priced here: see Databricks' serverless networking and model serving pricing (EXCLUDED)",
    },
  ];
}

/** The facts the estimate needs, read from the registered resources. */
export function costFacts(plan: Plan): CostFacts {
  const all = (type: string) => plan.recorded.filter((r) => r.type === type);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- recorded provider inputs of any shape
  const inputs = (type: string) => (all(type)[0]?.inputs ?? {}) as Record<string, any>;
  const lt = inputs(T.launchTemplate);
  return {
    region: plan.config.awsRegion,
    instanceType: String(lt.instanceType ?? plan.config.proxy.instanceType),
    desiredCapacity: Number(inputs(T.asg).desiredCapacity ?? plan.config.proxy.desiredCapacity),
    poolSize: all(T.eip).length,
    loadBalancers: all(T.nlb).length,
    volumeGbPerInstance: Number(lt.blockDeviceMappings?.[0]?.ebs?.volumeSize ?? 0),
    detailedMonitoring: lt.monitoring?.enabled === true,
    alarms: all(T.alarm).length,
    dashboards: all(T.dashboard).length,
    kmsKeys: all(T.kmsKey).length,
    lambdaMemoryMb: Number(inputs(T.fn).memorySize ?? 128),
  };
}

const usd = (n: number) => `$${n.toFixed(2)}`;

export function costSection(plan: Plan): string {
  const facts = costFacts(plan);
  const estimate = estimateMonthlyCost(facts);
  const priced = (PRICED_REGIONS as readonly string[]).includes(facts.region);
  const total = estimate.reduce((sum, l) => sum + (l.usd ?? 0), 0);
  const lines = [`Monthly cost estimate (USD, ${HOURS_PER_MONTH} h; prices of ${PRICES_AS_OF}: ${PRICE_SOURCE})`];
  lines.push(
    priced
      ? `  Prices for ${facts.region} (the table covers ${PRICED_REGIONS.join(", ")}).`
      : `  ${facts.region} is NOT in the price table (it covers ${PRICED_REGIONS.join(", ")}): these are ${PRICED_REGIONS[0]} prices; expect differences.`,
  );
  for (const l of estimate)
    lines.push(
      `  ${l.cloud.padEnd(10)} ${l.item.padEnd(40)} ${(l.usd === undefined ? "?" : usd(l.usd)).padStart(9)}   ${l.basis}`,
    );
  const unpriced = estimate.filter((l) => l.usd === undefined).map((l) => l.item);
  lines.push(
    `  ${"".padEnd(10)} ${"total (excluding usage-priced items)".padEnd(40)} ${usd(total).padStart(9)}${unpriced.length ? `   + unpriced: ${unpriced.join(", ")}` : ""}`,
  );
  return lines.join("\n");
}
