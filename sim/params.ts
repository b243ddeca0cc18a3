/**
 * The fleet simulation's parameters, read from the plan (the resources the program registers, by type
 * token), never from copies of the program's constants: health check type and grace, hook heartbeat
 * and default result, target group thresholds, deregistration delay, group sizes, refresh and
 * maintenance percentages, maximum lifetime, pool size, AZ count, the watchdog's cadence (from the
 * rendered user data) and the assigner's timeout. Only the assigner's in-invocation retry budget lives
 * in code (lambda/decisions.ts), and is imported from there.
 */
import { ASSIGNMENT_POLICY, type AssignmentPolicy } from "../lambda/decisions";
import { TYPES } from "../plan/resourceTypes";

/** What sim needs of a plan resource: plan.resources entries and the --json file both fit. */
export interface PlanResourceLike {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
}

export interface AssignerParams {
  /** The Lambda function's timeout, seconds. */
  readonly functionTimeoutSeconds: number;
  /** Lambda's async retries of a failed invocation (default 2 when no event invoke config is registered). */
  readonly asyncRetries: number;
  /** Retry/backoff budget for an instance that is not associable yet. */
  readonly policy: AssignmentPolicy;
  /** Wait out InvalidInstanceID.NotFound like a pending instance (else: "gone" once the budget is spent). */
  readonly waitsOutNotFound: boolean;
  /** Upper bound of one invocation's wait for the instance, seconds (the policy's worst case when undefined). */
  readonly waitBudgetSeconds?: number;
}

export interface FleetParams {
  readonly stack: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  readonly poolSize: number;
  readonly azCount: number;
  readonly healthCheckType: "EC2" | "ELB";
  readonly healthCheckGracePeriod: number;
  readonly heartbeatSeconds: number;
  readonly hookDefaultResult: "CONTINUE" | "ABANDON";
  readonly targetGroup: {
    readonly interval: number;
    readonly healthyThreshold: number;
    readonly unhealthyThreshold: number;
  };
  readonly deregistrationDelay: number;
  readonly refresh: {
    readonly minHealthyPercentage: number;
    readonly maxHealthyPercentage: number;
    readonly instanceWarmup: number;
  };
  /** Applies the refresh percentages to health and lifetime replacements too (launch before terminate). */
  readonly maintenance?: { readonly minHealthyPercentage: number; readonly maxHealthyPercentage: number };
  /** Seconds; 0 = none. */
  readonly maxInstanceLifetime: number;
  readonly watchdog?: { readonly intervalSeconds: number; readonly failuresBeforeUnhealthy: number };
  readonly assigner: AssignerParams;
}

/** Lambda's default for asynchronous invocations: two retries, about one and two minutes after failures. */
const LAMBDA_DEFAULT_ASYNC_RETRIES = 2;

function one(resources: readonly PlanResourceLike[], type: string, name?: RegExp): PlanResourceLike {
  const found = resources.filter((r) => r.type === type && (!name || name.test(r.name)));
  if (found.length !== 1)
    throw new Error(
      `the plan has ${found.length} resources of type ${type}${name ? ` named like ${name}` : ""}; the simulation reads exactly one`,
    );
  return found[0];
}

const num = (value: unknown, what: string): number => {
  const n = typeof value === "string" ? Number(value.replace(/s$/, "")) : value;
  if (typeof n !== "number" || !Number.isFinite(n))
    throw new Error(`the plan's ${what} is ${JSON.stringify(value)}, not a number`);
  return n;
};

/** Watchdog settings as rendered into the launch template's user data (absent when not installed). */
export function watchdogFromUserData(userDataBase64: string): FleetParams["watchdog"] {
  const script = Buffer.from(userDataBase64, "base64").toString("utf8");
  const interval = /^WATCHDOG_INTERVAL_SECONDS=(\d+)$/m.exec(script);
  const failures = /^WATCHDOG_FAILURES_BEFORE_UNHEALTHY=(\d+)$/m.exec(script);
  return interval && failures
    ? { intervalSeconds: Number(interval[1]), failuresBeforeUnhealthy: Number(failures[1]) }
    : undefined;
}

/** Recorded provider inputs, of any shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Inputs = Record<string, any>;

export function paramsFromPlan(stack: string, resources: readonly PlanResourceLike[]): FleetParams {
  const asg = one(resources, TYPES.asg).inputs as Inputs;
  const tg = one(resources, TYPES.targetGroup).inputs as Inputs;
  const lt = one(resources, TYPES.launchTemplate).inputs as Inputs;
  // The EIP assigner (EipAssigner "eip-assigner" in program.ts), not any other function the stack has.
  const fn = one(resources, TYPES.fn, /^eip-assigner-fn$/).inputs as Inputs;
  // A standalone hook (updatable in place) takes over the initial hook of the same name. One of another
  // name (proxy.launchHookName) sits beside it on a group created from this plan: a launch waiting for
  // its address ends at the first heartbeat to run out, with that hook's default result.
  const standalone = resources.filter((r) => r.type === TYPES.lifecycleHook).map((r) => r.inputs as Inputs);
  const initial = ((asg.initialLifecycleHooks ?? []) as Inputs[]).filter(
    (hook) => !standalone.some((s) => s.name === hook.name),
  );
  const heartbeatOf = (hook: Inputs) => num(hook.heartbeatTimeout ?? 3600, "hook heartbeat");
  const hook = [...standalone, ...initial].reduce((first, next) =>
    heartbeatOf(next) < heartbeatOf(first) ? next : first,
  );
  const publicSubnets = resources.filter((r) => r.type === TYPES.subnet && /public/.test(r.name));
  const refresh = asg.instanceRefresh?.preferences ?? {};
  const maintenance = asg.instanceMaintenancePolicy;
  return {
    stack,
    minSize: num(asg.minSize, "group minSize"),
    maxSize: num(asg.maxSize, "group maxSize"),
    desiredCapacity: num(asg.desiredCapacity ?? asg.minSize, "group desiredCapacity"),
    poolSize: resources.filter((r) => r.type === TYPES.eip).length,
    azCount: publicSubnets.length,
    healthCheckType: asg.healthCheckType === "ELB" ? "ELB" : "EC2",
    healthCheckGracePeriod: num(asg.healthCheckGracePeriod ?? 300, "health check grace period"),
    heartbeatSeconds: heartbeatOf(hook),
    hookDefaultResult: hook.defaultResult === "CONTINUE" ? "CONTINUE" : "ABANDON",
    targetGroup: {
      interval: num(tg.healthCheck?.interval ?? 30, "health check interval"),
      healthyThreshold: num(tg.healthCheck?.healthyThreshold ?? 5, "healthy threshold"),
      unhealthyThreshold: num(tg.healthCheck?.unhealthyThreshold ?? 2, "unhealthy threshold"),
    },
    deregistrationDelay: num(tg.deregistrationDelay ?? 300, "deregistration delay"),
    refresh: {
      minHealthyPercentage: num(refresh.minHealthyPercentage ?? 90, "refresh minHealthyPercentage"),
      maxHealthyPercentage: num(refresh.maxHealthyPercentage ?? 100, "refresh maxHealthyPercentage"),
      instanceWarmup: num(refresh.instanceWarmup ?? asg.healthCheckGracePeriod ?? 300, "refresh warm-up"),
    },
    ...(maintenance
      ? {
          maintenance: {
            minHealthyPercentage: num(maintenance.minHealthyPercentage, "maintenance minHealthyPercentage"),
            maxHealthyPercentage: num(maintenance.maxHealthyPercentage, "maintenance maxHealthyPercentage"),
          },
        }
      : {}),
    maxInstanceLifetime: num(asg.maxInstanceLifetime ?? 0, "max instance lifetime"),
    watchdog: typeof lt.userData === "string" ? watchdogFromUserData(lt.userData) : undefined,
    assigner: {
      functionTimeoutSeconds: num(fn.timeout ?? 3, "function timeout"),
      asyncRetries: LAMBDA_DEFAULT_ASYNC_RETRIES,
      policy: ASSIGNMENT_POLICY,
      waitsOutNotFound: ASSIGNMENT_POLICY.waitsOutNotFound ?? false,
      ...(ASSIGNMENT_POLICY.waitBudgetMs !== undefined
        ? { waitBudgetSeconds: ASSIGNMENT_POLICY.waitBudgetMs / 1000 }
        : {}),
    },
  };
}

/**
 * The assigner's retry policy before the day-2 fixes: 6 retries of 0.25 s doubling to 4 s (6–12 s in
 * all), no wait budget, an unknown id not waited out (left to the heartbeat). The baseline of the
 * simulation's "before" rows and of `npm run bench:eip`'s event-to-CONTINUE table.
 */
export const PRE_DAY2_ASSIGNMENT_POLICY: AssignmentPolicy = {
  takenBeforeRelisting: 2,
  maxListings: 8,
  instanceNotReadyRetries: 6,
  backoffBaseMs: 250,
  backoffCapMs: 4000,
};

/**
 * The settings this program had before the day-2 fixes (issue 11), applied over a plan's parameters:
 * the baseline the "before" columns compare against. Everything not listed is read from the plan.
 */
export function beforeDay2Fixes(params: FleetParams): FleetParams {
  const { maintenance: _maintenance, watchdog: _watchdog, ...rest } = params;
  return {
    ...rest,
    healthCheckType: "ELB",
    maxInstanceLifetime: 0,
    assigner: {
      ...params.assigner,
      policy: PRE_DAY2_ASSIGNMENT_POLICY,
      waitsOutNotFound: false,
      waitBudgetSeconds: undefined,
    },
  };
}
