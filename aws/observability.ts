/**
 * What the proxy tier is watched and scaled by: the target-tracking metric, the dashboard's widgets.
 * Pure (no @pulumi/*): the program passes resolved names, tests read the documents.
 */
import { PROXY_MAXCONN } from "./constants";

/**
 * Scale on concurrent flows per in-service proxy, not CPU: each flow is one client connection that
 * HAProxy holds for a whole (often minutes-long, mostly idle) LLM stream, its limit per proxy is
 * PROXY_MAXCONN, and TCP passthrough uses little CPU, so CPU would rise far later than connections
 * run out. Half of maxconn leaves room for a burst and for one proxy's share during a replacement.
 */
export const TARGET_FLOWS_PER_PROXY = PROXY_MAXCONN / 2;

/**
 * Customized target-tracking metric: NLB active flows ÷ in-service instances (metric math, the pattern
 * of AWS's "Create a target tracking scaling policy using metric math" example, which divides a
 * backlog by GroupInServiceInstances). Needs the group's GroupInServiceInstances metric enabled.
 */
export function flowsPerProxyMetrics(nlbArnSuffix: string, asgName: string) {
  return [
    {
      id: "flows",
      returnData: false,
      metricStat: {
        stat: "Average",
        metric: {
          namespace: "AWS/NetworkELB",
          metricName: "ActiveFlowCount",
          dimensions: [{ name: "LoadBalancer", value: nlbArnSuffix }],
        },
      },
    },
    {
      id: "proxies",
      returnData: false,
      metricStat: {
        stat: "Average",
        metric: {
          namespace: "AWS/AutoScaling",
          metricName: "GroupInServiceInstances",
          dimensions: [{ name: "AutoScalingGroupName", value: asgName }],
        },
      },
    },
    {
      id: "flowsPerProxy",
      label: "Active flows per in-service proxy",
      expression: "flows / proxies",
      returnData: true,
    },
  ];
}

/** Group metrics the dashboard and the scaling policy read (published each minute when enabled). */
export const GROUP_METRICS = [
  "GroupInServiceInstances",
  "GroupDesiredCapacity",
  "GroupMinSize",
  "GroupMaxSize",
  "GroupPendingInstances",
  "GroupTerminatingInstances",
];

export interface DashboardFacts {
  readonly region: string;
  readonly nlbArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly asgName: string;
  readonly functionName: string;
  /** The assigner's metric namespace and service dimension. */
  readonly assignerNamespace: string;
  readonly assignerService: string;
  readonly assignerMetrics: readonly string[];
}

/** The CloudWatch dashboard of the tier: hosts, flows, bytes, assigner outcomes, instances. */
export function dashboardBody(f: DashboardFacts): string {
  const lbDims = ["LoadBalancer", f.nlbArnSuffix];
  const widget = (title: string, metrics: unknown[][], x: number, y: number, stat = "Average") => ({
    type: "metric",
    x,
    y,
    width: 12,
    height: 6,
    properties: { title, region: f.region, view: "timeSeries", stat, period: 60, metrics },
  });
  return JSON.stringify({
    widgets: [
      widget(
        "Target health (healthy / unhealthy proxies)",
        [
          ["AWS/NetworkELB", "HealthyHostCount", "TargetGroup", f.targetGroupArnSuffix, ...lbDims, { stat: "Minimum" }],
          [
            "AWS/NetworkELB",
            "UnHealthyHostCount",
            "TargetGroup",
            f.targetGroupArnSuffix,
            ...lbDims,
            { stat: "Maximum" },
          ],
        ],
        0,
        0,
      ),
      widget(
        "NLB flows (active, new)",
        [
          ["AWS/NetworkELB", "ActiveFlowCount", ...lbDims],
          ["AWS/NetworkELB", "NewFlowCount", ...lbDims, { stat: "Sum" }],
        ],
        12,
        0,
      ),
      widget("NLB processed bytes", [["AWS/NetworkELB", "ProcessedBytes", ...lbDims, { stat: "Sum" }]], 0, 6, "Sum"),
      widget(
        "Proxies in service (and desired, min, max)",
        [
          ["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", f.asgName],
          ["AWS/AutoScaling", "GroupDesiredCapacity", "AutoScalingGroupName", f.asgName],
          ["AWS/AutoScaling", "GroupMinSize", "AutoScalingGroupName", f.asgName],
          ["AWS/AutoScaling", "GroupMaxSize", "AutoScalingGroupName", f.asgName],
        ],
        12,
        6,
      ),
      widget(
        "EIP assigner outcomes",
        f.assignerMetrics.map((m) => [f.assignerNamespace, m, "service", f.assignerService, { stat: "Sum" }]),
        0,
        12,
        "Sum",
      ),
      widget(
        "EIP assigner (Lambda)",
        [
          ["AWS/Lambda", "Invocations", "FunctionName", f.functionName, { stat: "Sum" }],
          ["AWS/Lambda", "Errors", "FunctionName", f.functionName, { stat: "Sum" }],
          ["AWS/Lambda", "Throttles", "FunctionName", f.functionName, { stat: "Sum" }],
        ],
        12,
        12,
        "Sum",
      ),
    ],
  });
}
