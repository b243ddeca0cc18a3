/** The NLB in front of the proxies is reachable through PrivateLink only. */
import { validateResourceOfType } from "@pulumi/policy";
import { LoadBalancer } from "@pulumi/aws/lb";
import { LoadBalancer as AlbLoadBalancer } from "@pulumi/aws/alb";
import { type MandatoryPolicy, subject, validateResourceOfTypes } from "./lib";

function checkInternal(
  lb: { loadBalancerType?: string; internal?: boolean },
  args: { type: string; name: string },
  report: (m: string) => void,
): void {
  if (lb.loadBalancerType !== "network") return;
  if (lb.internal !== true) {
    report(
      `${subject(args)}: network load balancer has internal ${JSON.stringify(lb.internal)}, so it gets public addresses in front of the proxies. ` +
        `Fix: set internal: true (Databricks reaches it through the VPC endpoint service only).`,
    );
  }
}

export const nlbInternal: MandatoryPolicy = {
  name: "nlb-internal",
  description:
    "Network load balancers are internal: the proxies are reached through PrivateLink, never from the internet.",
  enforcementLevel: "mandatory",
  severity: "critical",
  remediationSteps: "Set internal: true on the network load balancer.",
  validateResource: validateResourceOfTypes(
    validateResourceOfType(LoadBalancer, (lb, args, report) => checkInternal(lb, args, report)),
    validateResourceOfType(AlbLoadBalancer, (lb, args, report) => checkInternal(lb, args, report)),
  ),
};
