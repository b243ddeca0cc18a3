/** The tier's CloudWatch dashboard, built from resolved names (the body itself is aws/observability.ts). */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { dashboardBody } from "./observability";
import { METRIC_NAMES, METRIC_NAMESPACE_DEFAULT } from "../lambda/contract";

export interface ProxyDashboardArgs {
  readonly dashboardName: string;
  readonly region: string;
  readonly nlbArnSuffix: pulumi.Input<string>;
  readonly targetGroupArnSuffix: pulumi.Input<string>;
  readonly asgName: string;
  readonly functionName: pulumi.Input<string>;
  readonly assignerService: string;
}

export function proxyDashboard(
  name: string,
  args: ProxyDashboardArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.cloudwatch.Dashboard {
  return new aws.cloudwatch.Dashboard(
    name,
    {
      dashboardName: args.dashboardName,
      dashboardBody: pulumi
        .all([args.nlbArnSuffix, args.targetGroupArnSuffix, args.functionName])
        .apply(([nlbArnSuffix, targetGroupArnSuffix, functionName]) =>
          dashboardBody({
            region: args.region,
            nlbArnSuffix,
            targetGroupArnSuffix,
            asgName: args.asgName,
            functionName,
            assignerNamespace: METRIC_NAMESPACE_DEFAULT,
            assignerService: args.assignerService,
            assignerMetrics: Object.values(METRIC_NAMES),
          }),
        ),
    },
    opts,
  );
}
