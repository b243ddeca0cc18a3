/**
 * The upgrade gate honours `aliases` as the program declares them: the offline engine collapses the
 * SDK's alias specs into old URNs (engine/aliases.ts), the plan JSON carries them (`aliases`), and the
 * diff treats a resource listing the old URN as moved, not replaced. Pure rules first, then pairs of
 * small programs run through Pulumi's program host and the offline engine.
 */
import * as assert from "assert";
import { aliasUrns, type AliasGoal } from "../engine/aliases";
import { runProgram, failureOf, type EngineRun } from "../engine/run";
import { aliasesOf } from "../plan/run";
import { diffPlans, upgradeGate, type PlanDocument } from "../plan/diff";
import { TYPES as T } from "../plan/resourceTypes";
import { tinyProject } from "./support/tinyProject";

const STACK = "urn:pulumi:dev::tiny::pulumi:pulumi:Stack::tiny-dev";
const goal = (over: Partial<AliasGoal>): AliasGoal => ({
  stack: "dev",
  project: "tiny",
  type: T.eip,
  name: "egress-eip-0",
  parent: "urn:pulumi:dev::tiny::my:net:Pool::egress",
  aliases: [],
  parentAliases: [],
  ...over,
});

describe("aliases as the engine collapses them (pure)", () => {
  it("a spec fills the missing parts from the resource: a new parent keeps type and name", () => {
    assert.deepStrictEqual(
      aliasUrns(goal({ aliases: [{ parentUrn: "urn:pulumi:dev::tiny::my:net:OldPool::egress" }] })),
      ["urn:pulumi:dev::tiny::my:net:OldPool$aws:ec2/eip:Eip::egress-eip-0"],
    );
  });

  it("no parent and the root stack as parent both give a top-level URN; a URN alias is taken as written", () => {
    assert.deepStrictEqual(
      aliasUrns(goal({ aliases: [{ noParent: true }, { parentUrn: STACK, name: "eip-0" }, { urn: "urn:x" }] })),
      ["urn:pulumi:dev::tiny::aws:ec2/eip:Eip::egress-eip-0", "urn:pulumi:dev::tiny::aws:ec2/eip:Eip::eip-0", "urn:x"],
    );
  });

  it("a child inherits its parent's old URNs, following a renamed name prefix", () => {
    assert.deepStrictEqual(
      aliasUrns(
        goal({
          name: "egress-eip-0",
          parent: "urn:pulumi:dev::tiny::my:net:Pool::egress",
          parentAliases: ["urn:pulumi:dev::tiny::my:net:OldPool::eg"],
        }),
      ),
      ["urn:pulumi:dev::tiny::my:net:OldPool$aws:ec2/eip:Eip::eg-eip-0"],
    );
  });
});

/** A program with a component holding one pool EIP, given the component's type and both resources' options. */
function program(componentType: string, componentOptions: string, eipOptions = "parent: this"): string {
  return `import * as pulumi from "@pulumi/pulumi";
class Pool extends pulumi.ComponentResource {
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("${componentType}", name, {}, opts);
    new pulumi.CustomResource("${T.eip}", "egress-eip-0", { domain: "vpc" }, { ${eipOptions} });
    this.registerOutputs({});
  }
}
new Pool("egress", { ${componentOptions} });
`;
}

async function planOf(source: string): Promise<PlanDocument> {
  const project = tinyProject({ program: source });
  let run: EngineRun;
  try {
    run = await runProgram({ projectDir: project.dir, stack: "dev", mode: "update" });
  } finally {
    project.remove();
  }
  assert.strictEqual(failureOf(run), undefined, run.stderr);
  const resources = run.registrations
    .filter((r) => r.type !== "pulumi:pulumi:Stack")
    .map((r) => ({ urn: r.urn, type: r.type, name: r.name, parent: r.parent, inputs: r.inputs }));
  // Through JSON, as `--diff` reads a base file.
  return JSON.parse(JSON.stringify({ stack: "dev", mode: "update", resources, outputs: {}, aliases: aliasesOf(run) }));
}

describe("the upgrade gate over pairs of programs with and without aliases (offline engine)", function () {
  this.timeout(600_000);
  const OLD = "urn:pulumi:dev::tiny::my:net:Pool::egress";
  let base: PlanDocument;
  let movedPlain: PlanDocument;
  let movedAliased: PlanDocument;
  let componentRenamed: PlanDocument;
  let componentRenamedPlain: PlanDocument;

  before(async () => {
    [base, movedPlain, movedAliased, componentRenamed, componentRenamedPlain] = await Promise.all([
      planOf(program("my:net:Pool", "")),
      // The EIP moves out of the component to the root of the stack: a new URN.
      planOf(program("my:net:Pool", "", "")),
      planOf(program("my:net:Pool", "", `aliases: [{ parent: "${OLD}" }]`)),
      // The component's type changes: every child's URN changes with it.
      planOf(program("my:net:EgressPool", `aliases: [{ type: "my:net:Pool" }]`)),
      planOf(program("my:net:EgressPool", "")),
    ]);
  });

  it("records the aliases the program declares in the plan, collapsed to old URNs", () => {
    assert.deepStrictEqual(base.aliases, {});
    assert.deepStrictEqual(movedAliased.aliases, {
      "urn:pulumi:dev::tiny::aws:ec2/eip:Eip::egress-eip-0": [
        `urn:pulumi:dev::tiny::my:net:Pool$aws:ec2/eip:Eip::egress-eip-0`,
      ],
    });
    assert.deepStrictEqual(componentRenamed.aliases, {
      "urn:pulumi:dev::tiny::my:net:EgressPool::egress": [OLD],
      "urn:pulumi:dev::tiny::my:net:EgressPool$aws:ec2/eip:Eip::egress-eip-0": [
        "urn:pulumi:dev::tiny::my:net:Pool$aws:ec2/eip:Eip::egress-eip-0",
      ],
    });
  });

  it("a pool EIP that changes parent without an alias is a replacement and fails the gate", () => {
    const diff = diffPlans(base, movedPlain);
    assert.deepStrictEqual(
      diff.replaced.map((r) => r.name),
      ["egress-eip-0"],
    );
    assert.strictEqual(upgradeGate(diff).ok, false);
  });

  it("the same move with an alias naming the old parent is a move and passes the gate", () => {
    const diff = diffPlans(base, movedAliased);
    assert.deepStrictEqual([diff.replaced.length, diff.removed.length, diff.added.length], [0, 0, 0]);
    assert.deepStrictEqual(diff.moved, [
      {
        from: "urn:pulumi:dev::tiny::my:net:Pool$aws:ec2/eip:Eip::egress-eip-0",
        to: "urn:pulumi:dev::tiny::aws:ec2/eip:Eip::egress-eip-0",
      },
    ]);
    assert.strictEqual(upgradeGate(diff).ok, true);
  });

  it("a component's alias carries its children: a renamed component type passes only with the alias", () => {
    const aliased = diffPlans(base, componentRenamed);
    assert.deepStrictEqual([aliased.replaced.length, aliased.removed.length, aliased.moved.length], [0, 0, 2]);
    assert.strictEqual(upgradeGate(aliased).ok, true);
    const plain = upgradeGate(diffPlans(base, componentRenamedPlain));
    assert.deepStrictEqual(
      plain.blocked.map((b) => [b.how, b.name]),
      [["replaced", "egress-eip-0"]],
    );
  });
});
