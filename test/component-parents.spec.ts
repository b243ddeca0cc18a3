import * as assert from "assert";
import { evaluate, stackConfig, type Evaluation, type TestResource } from "./support/program";

/** Custom resources whose parent is not one of our components (providers stand alone by design). */
function orphans(resources: readonly TestResource[]): string[] {
  const components = new Map(resources.filter((r) => !r.custom).map((r) => [r.urn, r]));
  return resources
    .filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"))
    .filter((r) => !r.parent || !components.get(r.parent)?.type.startsWith("dbx-aoai-link:"))
    .map((r) => `${r.type} ${r.name} (parent: ${r.parent ?? "none"})`);
}

describe("component parents", () => {
  for (const stack of ["dev", "prod"]) {
    describe(`the ${stack} stack`, () => {
      let program: Evaluation;
      before(async () => {
        program = await evaluate(stackConfig(stack));
      });

      it("registers custom resources (the check below has something to check)", () => {
        assert.ok(program.resources.filter((r) => r.custom).length > 20);
      });

      it("gives every custom resource except providers one of our components as parent", () => {
        assert.deepStrictEqual(orphans(program.resources), []);
      });
    });
  }

  it("would report a resource registered at the stack root or under another resource", () => {
    const base = { inputs: {}, outputs: {}, dependsOn: [], protect: false, provider: undefined };
    const component = {
      ...base,
      urn: "urn:c",
      type: "dbx-aoai-link:aws:EipPool",
      name: "egress",
      custom: false,
      parent: undefined,
    };
    const resources: TestResource[] = [
      component,
      { ...base, urn: "urn:a", type: "aws:ec2/eip:Eip", name: "ok", custom: true, parent: "urn:c" },
      { ...base, urn: "urn:b", type: "aws:ec2/eip:Eip", name: "root", custom: true, parent: undefined },
      { ...base, urn: "urn:d", type: "aws:ec2/eip:Eip", name: "nested", custom: true, parent: "urn:a" },
      { ...base, urn: "urn:p", type: "pulumi:providers:databricks", name: "account", custom: true, parent: undefined },
    ];
    assert.deepStrictEqual(orphans(resources), [
      "aws:ec2/eip:Eip root (parent: none)",
      "aws:ec2/eip:Eip nested (parent: urn:a)",
    ]);
  });
});
