/**
 * Helpers shared by the policies: how a violation names its resource and fix, a validation that
 * spans several resource types, and IAM / CIDR reading. No `PolicyPack` here (see index.ts).
 */
import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { nonPublicRangeOf, parseCidr } from "../net/ipv4";

/** Every policy of this pack blocks the deployment: these are the link's security invariants. */
export type MandatoryPolicy = ResourceValidationPolicy & { readonly enforcementLevel: "mandatory" };

/** `aws:ec2/launchTemplate:LaunchTemplate "proxy-lt"`: how every message names its resource. */
export function subject(args: Pick<ResourceValidationArgs, "type" | "name">): string {
  return `${args.type} "${args.name}"`;
}

/**
 * One validation for several resource types: runs each `validateResourceOfType` validation and
 * reports the policy as not applicable only when none of the types matched (a plain array of
 * validations would also mark it "not applicable" for the types it did check).
 */
export function validateResourceOfTypes(...validations: ResourceValidation[]): ResourceValidation {
  return async (args, reportViolation) => {
    let applied = false;
    for (const validation of validations) {
      const skipped = new Error("not this type");
      try {
        await validation(
          {
            ...args,
            notApplicable: () => {
              throw skipped;
            },
          },
          reportViolation,
        );
        applied = true;
      } catch (e) {
        if (e !== skipped) throw e;
      }
    }
    if (!applied) args.notApplicable(`Policy only applies to ${validations.length} specific resource types`);
  };
}

/** A whole address family: 0.0.0.0/0, ::/0 (any prefix length of 0). */
export function isWholeInternet(cidr: string): boolean {
  return /\/0+$/.test(cidr.trim());
}

/**
 * Why an Azure firewall IP rule is unacceptable, or undefined when it is a public IPv4 address or
 * range. The ranges come from the same table the stack config is validated with (net/ipv4.ts).
 */
export function ipRuleProblem(value: string): string | undefined {
  if (isWholeInternet(value)) return "allows the whole internet";
  const cidr = parseCidr(value.trim());
  if (!cidr) return "is not an IPv4 address or CIDR";
  const range = nonPublicRangeOf(cidr);
  return range ? `lies in the non-public range ${range}` : undefined;
}

export interface IamStatement {
  readonly Sid?: string;
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly [key: string]: unknown;
}

/**
 * The statements of an IAM policy document given as a JSON string (what `JSON.stringify` or
 * `getPolicyDocument().json` yield) or as an object. Throws on a string that is not JSON.
 */
export function iamStatements(document: unknown): IamStatement[] {
  const doc = typeof document === "string" ? (JSON.parse(document) as unknown) : document;
  if (!doc || typeof doc !== "object") return [];
  const statement = (doc as { Statement?: unknown }).Statement;
  if (statement === undefined) return [];
  return (Array.isArray(statement) ? statement : [statement]) as IamStatement[];
}

/** "*" (or "*:*"): every action of every service. */
export function isWildcardAction(action: string): boolean {
  return /^\*(:\*)?$/.test(action.trim());
}

/**
 * Descriptions of the Allow statements that grant Action "*", e.g. `statement 2 (Sid "Admin")`;
 * `["not valid JSON ..."]` when the document cannot be read.
 */
export function wildcardGrants(document: unknown): string[] {
  let statements: IamStatement[];
  try {
    statements = iamStatements(document);
  } catch (e) {
    return [`a document that is not valid JSON (${(e as Error).message})`];
  }
  return statements.flatMap((s, i) => {
    if (s.Effect === "Deny") return [];
    const actions = s.Action === undefined ? [] : Array.isArray(s.Action) ? s.Action : [s.Action];
    return actions.some((a) => typeof a === "string" && isWildcardAction(a))
      ? [`statement ${i + 1}${s.Sid ? ` (Sid "${s.Sid}")` : ""}`]
      : [];
  });
}
