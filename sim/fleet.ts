/**
 * A deterministic fleet simulation (simulated clock in whole seconds, seeded randomness): the Auto
 * Scaling group with its launch hook and heartbeat, the EIP pool, the assigner with Lambda's async
 * retries, the target group's health checks and thresholds, NLB routing, health replacement (ELB or EC2
 * type, with or without the on-instance watchdog), instance refresh, instance maintenance and maximum
 * lifetime. What it assumes is written in docs/fleet.md; each rule below names the behaviour it models.
 * Pure: no I/O, no Pulumi.
 */
import { backoffMs } from "../lambda/decisions";
import type { FleetParams } from "./params";

export type Range = readonly [number, number];

/** Faults and events a scenario injects, in seconds of simulated time. */
export interface ScenarioSpec {
  readonly name: string;
  readonly title: string;
  readonly durationSeconds: number;
  readonly seed: number;
  /** Azure OpenAI unreachable for every proxy. */
  readonly azureDown?: Range;
  /** DNS answers nothing for the Azure name. */
  readonly dnsDown?: Range;
  /** This AZ (index) is lost from this time on: its instances stop answering, nothing launches there. */
  readonly azLostAt?: { readonly az: number; readonly at: number };
  /** HAProxy on one in-service proxy stops for good (crash loop / rejected config) at this time. */
  readonly haproxyDiesAt?: number;
  /** An instance refresh (new launch template version) starts. */
  readonly refreshAt?: number;
  /** The initial fleet is this many seconds short of the maximum lifetime at t = 0. */
  readonly agedToLifetimeMinus?: number;
  /** The group's desired capacity is set to this at this time. */
  readonly scaleTo?: { readonly at: number; readonly desired: number };
  /** EC2 reports a new instance as pending (not associable) for this long after launch. */
  readonly pendingSeconds?: Range;
  /** EC2 does not know a new instance id for this long after launch (eventual consistency). */
  readonly notFoundSeconds?: Range;
  /** The window shaded in the timeline picture. */
  readonly faultWindow?: Range;
  /** Group and pool overrides for what-if scenarios (e.g. a burst larger than the stack's group). */
  readonly groupOverride?: Partial<Pick<FleetParams, "maxSize" | "poolSize" | "desiredCapacity" | "minSize">>;
}

/** From launch to "instance running": user data starts; until then AssociateAddress answers "pending". */
const DEFAULT_PENDING: Range = [5, 40];
const DEFAULT_NOT_FOUND: Range = [0, 5];
/** Boot, dnf install from S3 and HAProxy start, from "running". */
const BOOT_SECONDS: Range = [60, 150];
/** EventBridge delivery plus a Lambda cold start. */
const DELIVERY_SECONDS: Range = [1, 3];
/** Lambda's async retry delays after a failed invocation (about 1 and 2 minutes). */
const ASYNC_RETRY_DELAY_SECONDS = [60, 120];
/** An impaired instance fails its EC2 status checks within about this long. */
const EC2_STATUS_DETECTION_SECONDS = 90;
/** The group notices a capacity gap and launches on this cadence. */
const GROUP_CYCLE_SECONDS = 10;
/** HAProxy keeps the last good address this long while DNS fails (haproxyConfig: hold nx/timeout 30s). */
const DNS_HOLD_SECONDS = 30;
const TIMELINE_STEP_SECONDS = 10;

type Lifecycle = "pending-wait" | "in-service" | "draining" | "terminated";

interface Instance {
  readonly id: number;
  readonly az: number;
  readonly launchedAt: number;
  readonly runningAt: number;
  readonly visibleAt: number;
  readonly bootedAt: number;
  readonly image: number;
  lifecycle: Lifecycle;
  address?: number;
  inServiceAt?: number;
  terminateAt?: number;
  tgHealthy: boolean;
  tgPasses: number;
  tgFails: number;
  haproxyDead: boolean;
  impairedAt?: number;
  watchdogFails: number;
  /** Being replaced by a refresh, the lifetime limit or (with a maintenance policy) a failed health check. */
  retiring: boolean;
  markedUnhealthy: boolean;
}

interface Invocation {
  readonly instance: number;
  readonly at: number;
  readonly attempt: number;
}

export interface TimelinePoint {
  readonly t: number;
  readonly healthyTargets: number;
  readonly inService: number;
  readonly freeAddresses: number;
}

export interface ScenarioResult {
  readonly scenario: ScenarioSpec;
  /** Instances the group replaced because they were judged unhealthy. */
  readonly replaced: number;
  /** Instances replaced by a refresh or the maximum lifetime. */
  readonly retired: number;
  readonly abandoned: number;
  readonly minutesNoHealthyTarget: number;
  readonly minutesBelowMinSize: number;
  /** Addresses still associated with terminated instances, and associations that moved an address. */
  readonly addressesLeaked: number;
  readonly addressesStolen: number;
  readonly launchToInServiceP50: number | undefined;
  readonly launchToInServiceMax: number | undefined;
  /** Assigner invocations that failed (threw) and Lambda retried. */
  readonly failedInvocations: number;
  /** Minutes with fewer than minSize healthy targets (degraded, or worse). */
  readonly minutesBelowMinHealthy: number;
  /** Seconds after the fault window ended until minSize targets were healthy again (undefined: no window, or never). */
  readonly recoverySeconds: number | undefined;
  readonly timeline: readonly TimelinePoint[];
}

export function simulate(base: FleetParams, scenario: ScenarioSpec, random: () => number): ScenarioResult {
  const p: FleetParams = { ...base, ...scenario.groupOverride };
  const uniform = ([min, max]: Range) => min + random() * (max - min);
  const within = (range: Range | undefined, t: number) => range !== undefined && t >= range[0] && t < range[1];
  const instances: Instance[] = [];
  const owner: (number | undefined)[] = Array.from({ length: p.poolSize }, () => undefined);
  const invocations: Invocation[] = [];
  const pendingResults: { at: number; inv: Invocation; result: "continue" | "abandon" | "throw" | "gone" }[] = [];
  const launchToInService: number[] = [];
  const timeline: TimelinePoint[] = [];
  let desired = p.desiredCapacity;
  let image = 0;
  let replaced = 0,
    retired = 0,
    abandoned = 0,
    failedInvocations = 0,
    stolen = 0;
  let noHealthySeconds = 0,
    belowMinSeconds = 0,
    belowMinHealthySeconds = 0;
  let recoveredAt: number | undefined;
  const faultEnd = scenario.faultWindow?.[1];

  const freeAddress = () => owner.findIndex((o) => o === undefined);
  const lostAz = (az: number, t: number) =>
    scenario.azLostAt !== undefined && scenario.azLostAt.az === az && t >= scenario.azLostAt.at;
  const active = () => instances.filter((i) => i.lifecycle === "pending-wait" || i.lifecycle === "in-service");

  const launch = (t: number, steady = false): Instance => {
    const live = Array.from({ length: p.azCount }, (_, az) => az).filter((az) => !lostAz(az, t));
    const az = live.reduce(
      (best, a) =>
        active().filter((i) => i.az === a).length < active().filter((i) => i.az === best).length ? a : best,
      live[0],
    );
    const pending = uniform(scenario.pendingSeconds ?? DEFAULT_PENDING);
    const launchedAt = steady ? t - 3600 - Math.floor(random() * 600) : t;
    const instance: Instance = {
      id: instances.length,
      az,
      launchedAt,
      runningAt: launchedAt + pending,
      visibleAt: launchedAt + uniform(scenario.notFoundSeconds ?? DEFAULT_NOT_FOUND),
      bootedAt: launchedAt + pending + uniform(BOOT_SECONDS),
      image,
      lifecycle: "pending-wait",
      tgHealthy: false,
      tgPasses: 0,
      tgFails: 0,
      haproxyDead: false,
      watchdogFails: 0,
      retiring: false,
      markedUnhealthy: false,
    };
    instances.push(instance);
    if (!steady) invocations.push({ instance: instance.id, at: t + uniform(DELIVERY_SECONDS), attempt: 0 });
    return instance;
  };

  // Steady state at t = 0: desired proxies in service and healthy, each with its address.
  for (let n = 0; n < desired; n++) {
    const i = launch(0, true);
    if (scenario.agedToLifetimeMinus !== undefined && p.maxInstanceLifetime > 0) {
      (i as { launchedAt: number }).launchedAt = -(p.maxInstanceLifetime - scenario.agedToLifetimeMinus - n * 120);
    }
    i.lifecycle = "in-service";
    i.inServiceAt = i.launchedAt + 60;
    i.tgHealthy = true;
    i.address = freeAddress();
    owner[i.address] = i.id;
  }

  const complete = (i: Instance, result: "CONTINUE" | "ABANDON", t: number) => {
    if (i.lifecycle !== "pending-wait") return;
    if (result === "CONTINUE") {
      i.lifecycle = "in-service";
      i.inServiceAt = t;
      launchToInService.push(t - i.launchedAt);
    } else {
      abandoned++;
      terminate(i, t, 0);
    }
  };
  const terminate = (i: Instance, t: number, drain: number) => {
    i.lifecycle = drain > 0 ? "draining" : "terminated";
    i.terminateAt = t + drain;
    i.tgHealthy = false;
    if (drain === 0) release(i);
  };
  const release = (i: Instance) => {
    if (i.address !== undefined) owner[i.address] = undefined;
    i.address = undefined;
  };

  /** One invocation of the assigner, from its start to the time it returns, with its result. */
  const invoke = (
    inv: Invocation,
    i: Instance,
  ): { endsAt: number; result: "continue" | "abandon" | "throw" | "gone" } => {
    const a = p.assigner;
    const budget = a.waitBudgetSeconds ?? Infinity;
    let t = inv.at;
    for (let retry = 0; ; retry++) {
      t += 0.1; // one AWS call
      const visible = t >= i.visibleAt;
      if (visible && t >= i.runningAt) return { endsAt: t, result: freeAddress() >= 0 ? "continue" : "abandon" };
      const outOfRetries =
        a.waitBudgetSeconds !== undefined ? t - inv.at >= budget : retry >= a.policy.instanceNotReadyRetries;
      if (outOfRetries || t - inv.at >= a.functionTimeoutSeconds - 1) {
        if (!visible) return { endsAt: t, result: a.waitsOutNotFound ? "abandon" : "gone" };
        return { endsAt: t, result: "throw" };
      }
      t += backoffMs(retry, random(), a.policy) / 1000;
    }
  };

  const launchesFirst = (p.maintenance?.maxHealthyPercentage ?? 100) > 100;
  const replaceCap = (percent: number | undefined) =>
    percent !== undefined && percent > 100 ? Math.max(desired + 1, Math.floor((desired * percent) / 100)) : desired;

  for (let t = 0; t <= scenario.durationSeconds; t++) {
    if (scenario.scaleTo && t === scenario.scaleTo.at) desired = scenario.scaleTo.desired;
    if (scenario.refreshAt === t) {
      image++;
      for (const i of active()) i.retiring = true;
    }
    if (scenario.haproxyDiesAt === t) {
      const victim = instances.find((i) => i.lifecycle === "in-service");
      if (victim) victim.haproxyDead = true;
    }
    for (const i of instances) {
      if (lostAz(i.az, t) && i.impairedAt === undefined && i.lifecycle !== "terminated") i.impairedAt = t;
      if (
        p.maxInstanceLifetime > 0 &&
        !i.retiring &&
        i.lifecycle === "in-service" &&
        t - i.launchedAt >= p.maxInstanceLifetime
      )
        i.retiring = true;
      if (i.lifecycle === "draining" && t >= (i.terminateAt ?? 0)) {
        i.lifecycle = "terminated";
        release(i);
      }
    }

    // Assigner: invocations due now run to their end; the result applies at the end time.
    for (const inv of invocations.filter((v) => Math.floor(v.at) === t)) {
      const i = instances[inv.instance];
      if (i.lifecycle !== "pending-wait") continue;
      const { endsAt, result } = invoke(inv, i);
      pendingResults.push({ at: Math.ceil(endsAt), inv, result });
    }
    for (const r of pendingResults.filter((x) => x.at === t)) {
      const i = instances[r.inv.instance];
      if (i.lifecycle !== "pending-wait") continue;
      if (r.result === "continue") {
        const address = freeAddress();
        if (address < 0) {
          complete(i, "ABANDON", t);
          continue;
        }
        if (owner[address] !== undefined) stolen++;
        owner[address] = i.id;
        i.address = address;
        complete(i, "CONTINUE", t);
      } else if (r.result === "abandon") {
        complete(i, "ABANDON", t);
      } else if (r.result === "throw") {
        failedInvocations++;
        if (r.inv.attempt < p.assigner.asyncRetries) {
          invocations.push({
            instance: i.id,
            at: t + ASYNC_RETRY_DELAY_SECONDS[r.inv.attempt] + uniform([0, 10]),
            attempt: r.inv.attempt + 1,
          });
        }
      }
      // "gone": logged, no completion: the launch waits for the heartbeat.
    }
    for (const i of instances) {
      if (i.lifecycle === "pending-wait" && t >= i.launchedAt + p.heartbeatSeconds) complete(i, p.hookDefaultResult, t);
    }

    // Target group health checks: HAProxy answers 200 only with a usable upstream, which needs the
    // proxy's pool address, Azure reachable and the name resolving (or still held).
    const upstreamUsable = (i: Instance) => {
      if (within(scenario.azureDown, t)) return false;
      if (scenario.dnsDown && t >= scenario.dnsDown[0] && t < scenario.dnsDown[1]) {
        return i.bootedAt < scenario.dnsDown[0] && t < scenario.dnsDown[0] + DNS_HOLD_SECONDS;
      }
      return true;
    };
    if (t % p.targetGroup.interval === 0) {
      for (const i of instances.filter((x) => x.lifecycle === "in-service")) {
        const pass =
          i.impairedAt === undefined &&
          !i.haproxyDead &&
          t >= i.bootedAt &&
          i.address !== undefined &&
          upstreamUsable(i);
        if (pass) {
          i.tgPasses++;
          i.tgFails = 0;
          if (i.tgPasses >= p.targetGroup.healthyThreshold) i.tgHealthy = true;
        } else {
          i.tgFails++;
          i.tgPasses = 0;
          if (i.tgFails >= p.targetGroup.unhealthyThreshold) i.tgHealthy = false;
        }
      }
    }

    // Group health: what marks an in-service instance unhealthy (replaced: drained, then terminated).
    for (const i of instances.filter((x) => x.lifecycle === "in-service")) {
      const graceOver = t >= (i.inServiceAt ?? 0) + p.healthCheckGracePeriod;
      const ec2Failed = i.impairedAt !== undefined && t >= i.impairedAt + EC2_STATUS_DETECTION_SECONDS;
      const elbFailed =
        p.healthCheckType === "ELB" && graceOver && !i.tgHealthy && i.tgFails >= p.targetGroup.unhealthyThreshold;
      let watchdogFailed = false;
      if (p.watchdog && i.impairedAt === undefined && t % p.watchdog.intervalSeconds === 0) {
        const localFault = i.haproxyDead || t < i.bootedAt || i.address === undefined;
        i.watchdogFails = localFault ? i.watchdogFails + 1 : 0;
        // SetInstanceHealth respects the grace period: calls before it ends are ignored.
        watchdogFailed = i.watchdogFails >= p.watchdog.failuresBeforeUnhealthy && graceOver;
      }
      if ((ec2Failed || elbFailed || watchdogFailed) && !i.markedUnhealthy) {
        replaced++;
        i.markedUnhealthy = true;
        // With an instance maintenance policy above 100 % the group launches the replacement first and
        // terminates the unhealthy instance once it is ready; by default it terminates and launches at once.
        if (launchesFirst) i.retiring = true;
        else terminate(i, t, p.deregistrationDelay);
      }
    }

    // Refresh and lifetime: launch replacements up to the maximum healthy percentage, then retire one
    // old instance per new one that is in service and warmed up (minimum healthy 100 %).
    if (t % GROUP_CYCLE_SECONDS === 0) {
      const retiring = active().filter((i) => i.retiring);
      if (retiring.length > 0) {
        const refreshing = scenario.refreshAt !== undefined && t >= scenario.refreshAt;
        const percent = refreshing ? p.refresh.maxHealthyPercentage : p.maintenance?.maxHealthyPercentage;
        const present = instances.filter((i) => i.lifecycle !== "terminated").length;
        const fresh = active().filter((i) => !i.retiring);
        const warm = fresh.filter(
          (i) => i.lifecycle === "in-service" && t >= (i.inServiceAt ?? 0) + p.refresh.instanceWarmup,
        ).length;
        if (fresh.length < desired && present < replaceCap(percent)) launch(t);
        const oldest = [...retiring].sort(
          (x, y) => Number(y.markedUnhealthy) - Number(x.markedUnhealthy) || x.launchedAt - y.launchedAt,
        )[0];
        // Launch before terminate when the percentage allows it; otherwise terminate one, then wait for its replacement.
        const canRetire =
          percent !== undefined && percent > 100 ? warm + retiring.length > desired : warm === fresh.length;
        if (canRetire) {
          if (!oldest.markedUnhealthy) retired++;
          terminate(oldest, t, p.deregistrationDelay);
        }
      }
      const gap = desired - active().length;
      for (let n = 0; n < gap; n++) launch(t);
    }

    // Metrics of this second.
    const inService = instances.filter((i) => i.lifecycle === "in-service");
    const healthy = inService.filter((i) => i.tgHealthy && i.impairedAt === undefined).length;
    if (healthy === 0) noHealthySeconds++;
    if (healthy < p.minSize) belowMinHealthySeconds++;
    if (inService.length < p.minSize) belowMinSeconds++;
    if (faultEnd !== undefined && t >= faultEnd && recoveredAt === undefined && healthy >= p.minSize) recoveredAt = t;
    if (t % TIMELINE_STEP_SECONDS === 0)
      timeline.push({
        t,
        healthyTargets: healthy,
        inService: inService.length,
        freeAddresses: owner.filter((o) => o === undefined).length,
      });
  }

  const sorted = [...launchToInService].sort((a, b) => a - b);
  return {
    scenario,
    replaced,
    retired,
    abandoned,
    failedInvocations,
    minutesNoHealthyTarget: noHealthySeconds / 60,
    minutesBelowMinSize: belowMinSeconds / 60,
    minutesBelowMinHealthy: belowMinHealthySeconds / 60,
    addressesLeaked: instances.filter((i) => i.lifecycle === "terminated" && i.address !== undefined).length,
    addressesStolen: stolen,
    launchToInServiceP50: sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : undefined,
    launchToInServiceMax: sorted.length ? sorted[sorted.length - 1] : undefined,
    recoverySeconds: faultEnd !== undefined && recoveredAt !== undefined ? recoveredAt - faultEnd : undefined,
    timeline,
  };
}
