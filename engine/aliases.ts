/**
 * The old URNs a registration declares through `aliases`, as the Pulumi engine computes them. With
 * the `aliasSpecs` feature on (monitor.ts), the 3.248 SDK sends each alias as a URN or a spec
 * (`runtime/resource.js` `mapAliasesForRequest`) and leaves collapsing and inheriting to the engine.
 * The rules follow pulumi/pulumi `pkg/resource/deploy/step_generator.go` (`collapseAliasToUrn`,
 * `inheritedChildAlias`, `generateAliases`). Offline there is no old state to match against, so every
 * candidate is kept; the engine would pick the first that exists in the stack.
 */

/** One entry of `RegisterResourceRequest.aliases` (proto `Alias`), as plain data. */
export interface AliasSpec {
  readonly urn?: string;
  readonly name?: string;
  readonly type?: string;
  readonly stack?: string;
  readonly project?: string;
  readonly parentUrn?: string;
  readonly noParent?: boolean;
}

export interface AliasGoal {
  readonly stack: string;
  readonly project: string;
  readonly type: string;
  readonly name: string;
  readonly parent: string | undefined;
  readonly aliases: readonly AliasSpec[];
  /** The alias URNs already worked out for the parent (its own and inherited ones). */
  readonly parentAliases: readonly string[];
}

const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** `urn:pulumi:<stack>::<project>::<qualified type>::<name>` → its qualified type (the parent chain, `a$b`). */
export function urnQualifiedType(urn: string): string {
  return urn.split("::")[2] ?? "";
}

/** The name part of a URN (names may contain `::`). */
export function urnName(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** The engine's `resource.NewURN`: the parent's qualified type chain prefixes the type. */
function newUrn(stack: string, project: string, parentType: string, type: string, name: string): string {
  return `urn:pulumi:${stack}::${project}::${parentType ? `${parentType}$` : ""}${type}::${name}`;
}

/** `resource.CreateURN`: a root-stack parent adds nothing to the URN. */
function createUrn(name: string, type: string, parent: string | undefined, project: string, stack: string): string {
  const parentType = parent ? urnQualifiedType(parent) : "";
  return newUrn(stack, project, parentType === ROOT_STACK_TYPE ? "" : parentType, type, name);
}

function collapse(goal: AliasGoal, alias: AliasSpec): string {
  if (alias.urn) return alias.urn;
  let parent = alias.parentUrn || goal.parent;
  if (alias.noParent || (parent && urnQualifiedType(parent) === ROOT_STACK_TYPE)) parent = undefined;
  return createUrn(
    alias.name || goal.name,
    alias.type || goal.type,
    parent,
    alias.project || goal.project,
    alias.stack || goal.stack,
  );
}

/** A child's old URN under an old URN of its parent; a name prefixed by the parent's name follows a rename. */
function inheritedChildAlias(
  goal: AliasGoal,
  childType: string,
  childName: string,
  parentName: string,
  parentAlias: string,
): string {
  const name = childName.startsWith(parentName) ? urnName(parentAlias) + childName.slice(parentName.length) : childName;
  return newUrn(goal.stack, goal.project, urnQualifiedType(parentAlias), childType, name);
}

/** Every old URN the registration may have had, in the engine's order, without repeats. */
export function aliasUrns(goal: AliasGoal): string[] {
  const out = new Set<string>();
  const own = goal.aliases.map((a) => collapse(goal, a));
  own.forEach((u) => out.add(u));
  if (goal.parent) {
    const parentName = urnName(goal.parent);
    for (const parentAlias of goal.parentAliases) {
      out.add(inheritedChildAlias(goal, goal.type, goal.name, parentName, parentAlias));
      for (const u of own) {
        const type = urnQualifiedType(u).split("$").pop() ?? "";
        out.add(inheritedChildAlias(goal, type, urnName(u), parentName, parentAlias));
      }
    }
  }
  return [...out];
}
