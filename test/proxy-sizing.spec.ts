/**
 * Stream capacity of a proxy (aws/proxySizing.ts) and the plan's section built on it: the limit
 * that binds, the warning the program logs when an instance type cannot hold PROXY_MAXCONN
 * streams, and what the plan prints for the committed dev and prod stacks.
 */
import { strict as assert } from "node:assert";
import { join } from "node:path";
import * as fc from "fast-check";
import { PROXY_MAXCONN } from "../aws/constants";
import {
  capacityWarnings,
  INSTANCE_SHAPES,
  MEASURED_STREAM_COST,
  RESERVED_MIB,
  streamCapacity,
} from "../aws/proxySizing";
import { PROXY_NOFILE_LIMIT } from "../aws/userData";
import { parseRawConfig } from "../config/load";
import { validateStackConfig } from "../config/validate";
import { capacitySection, capacitySummary } from "../plan/sections/capacity";
import { readStackConfigFile, type Plan } from "../plan/run";

const ROOT = join(__dirname, "..");

/** The plan of a committed stack, as far as the capacity section reads it (its validated config). */
function committedStack(stack: string): Pick<Plan, "config"> {
  const { values } = readStackConfigFile(join(ROOT, `Pulumi.${stack}.yaml`));
  const config = validateStackConfig(stack, parseRawConfig(values));
  return { config };
}

describe("proxy stream capacity", () => {
  it("is the least of memory, maxconn and the open-files limit, and names the one that binds", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(INSTANCE_SHAPES)),
        fc.integer({ min: 1, max: 500_000 }),
        (type, maxconn) => {
          const c = streamCapacity(type, maxconn)!;
          const byName = { memory: c.byMemory, maxconn, "file descriptors": c.byFiles };
          return c.perProxy === Math.min(c.byMemory, maxconn, c.byFiles) && byName[c.limitedBy] === c.perProxy;
        },
      ),
    );
  });

  it("derives the memory limit from the measured per-stream figure and the instance's memory", () => {
    const c = streamCapacity("t3.large")!;
    assert.equal(c.byMemory, Math.floor(((8192 - RESERVED_MIB) * 1024) / MEASURED_STREAM_COST.kibPerStream));
    assert.equal(c.byFiles, Math.floor((PROXY_NOFILE_LIMIT - 1000) / 2));
    assert.ok(c.byMemory > streamCapacity("t3.medium")!.byMemory, "more memory holds more streams");
  });

  it("says when the figure was measured on another architecture (Graviton)", () => {
    assert.equal(MEASURED_STREAM_COST.architecture, "x86_64");
    assert.equal(streamCapacity("c7g.large")!.measuredElsewhere, true);
    assert.equal(streamCapacity("t3.small")!.measuredElsewhere, false);
  });

  it("knows nothing about a type outside its table", () => {
    assert.equal(streamCapacity("x9z.huge"), undefined);
  });
});

describe("capacity warnings", () => {
  it("warn, naming the key, the value and a larger type, when the memory holds fewer than PROXY_MAXCONN streams", () => {
    const small = Object.keys(INSTANCE_SHAPES).find((t) => streamCapacity(t)!.byMemory < PROXY_MAXCONN)!;
    const [warning, ...rest] = capacityWarnings(small);
    assert.equal(rest.length, 0);
    assert.match(
      warning,
      new RegExp(
        `^dbx-aoai-link:proxy\\.instanceType = "${small.replace(".", "\\.")}": .* fewer than the ${PROXY_MAXCONN} .*Fix: use a type with at least \\d+ GiB such as (\\S+)`,
      ),
    );
    const suggested = /such as (\S+?),/.exec(warning)![1];
    assert.ok(streamCapacity(suggested)!.byMemory >= PROXY_MAXCONN, `${suggested} holds PROXY_MAXCONN`);
  });

  it("stay silent when the type holds PROXY_MAXCONN streams", () => {
    const big = Object.keys(INSTANCE_SHAPES).find((t) => streamCapacity(t)!.byMemory >= PROXY_MAXCONN)!;
    assert.deepEqual(capacityWarnings(big), []);
  });

  it("say so when the type is not in the sizing table", () => {
    assert.match(
      capacityWarnings("x9z.huge")[0],
      /proxy\.instanceType = "x9z\.huge": not in the sizing table .*Fix: add its memory/,
    );
  });
});

describe("plan: stream capacity section", () => {
  it("prints dev's streams per proxy and per group at min and max size, and what limits them", () => {
    const plan = committedStack("dev");
    const { instanceType, minSize, maxSize } = plan.config.proxy;
    const c = streamCapacity(instanceType)!;
    const text = capacitySection(plan);
    const n = (x: number) => x.toLocaleString("en-US");
    assert.ok(
      text.includes(`one proxy (${instanceType}, `) &&
        text.includes(`${n(c.perProxy)} streams, limited by ${c.limitedBy}`),
      text,
    );
    assert.ok(
      text.includes(
        `group: ${n(c.perProxy * minSize)} at minSize ${minSize}, ${n(c.perProxy * maxSize)} at maxSize ${maxSize}`,
      ),
      text,
    );
    assert.ok(text.includes(`measured ${MEASURED_STREAM_COST.measuredOn}`), text);
    for (const warning of capacityWarnings(instanceType)) assert.ok(text.includes(warning), text);
  });

  it("prints prod's (Graviton) capacity with the architecture caveat, and the same figures in --json", () => {
    const plan = committedStack("prod");
    const summary = capacitySummary(plan);
    const c = streamCapacity(plan.config.proxy.instanceType)!;
    assert.equal(summary.perProxy, c.perProxy);
    assert.equal(summary.groupAtMaxSize, c.perProxy * plan.config.proxy.maxSize);
    assert.match(capacitySection(plan), /is Graviton\/arm64: not measured there/);
  });
});
