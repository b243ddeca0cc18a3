/**
 * The repository's own import graph, read from the TypeScript sources with the compiler's
 * `preProcessFile` (static imports, `export … from`, `require(…)` and `import(…)`), and the rules its
 * folders follow. Pure apart from reading files; `importDirectionViolations` takes any graph, so a
 * test can feed it a reversed import and see it fail.
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** One import between two of our files, as repository-relative POSIX paths. */
export interface ImportEdge {
  readonly from: string;
  readonly to: string;
}

const SKIPPED_DIRS = new Set(["node_modules", "bin", ".git"]);

/** Every `.ts` file under `root` outside node_modules, bin and hidden folders, repository-relative. */
export function sourceFiles(root: string, dir = ""): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith(".")) files.push(...sourceFiles(root, rel));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) {
      files.push(rel);
    }
  }
  return files.sort();
}

/** The edges between our own files; imports of packages and Node built-ins are left out. */
export function importGraph(root: string): ImportEdge[] {
  const files = sourceFiles(root);
  const known = new Set(files);
  const edges: ImportEdge[] = [];
  for (const from of files) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(root, from), "utf8"), true, true);
    for (const { fileName } of info.importedFiles) {
      if (!fileName.startsWith(".")) continue;
      const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), fileName));
      const to = [`${target}.ts`, `${target}/index.ts`, target].find((candidate) => known.has(candidate));
      if (to) edges.push({ from, to });
    }
  }
  return edges;
}

/** The top-level folder a file lives in; files at the root (index.ts, program.ts) are "(root)". */
export function areaOf(file: string): string {
  return file.includes("/") ? file.slice(0, file.indexOf("/")) : "(root)";
}

export interface DirectionRule {
  /** Areas the rule applies to, or every area except the listed ones. */
  readonly from: { readonly only: readonly string[] } | { readonly except: readonly string[] };
  /** Areas those may not import, or every area except the listed ones. */
  readonly mayNotImport: { readonly only: readonly string[] } | { readonly except: readonly string[] };
  readonly why: string;
}

function matches(set: DirectionRule["from"], area: string): boolean {
  return "only" in set ? set.only.includes(area) : !set.except.includes(area);
}

/** Cloud-side building blocks: they receive plain values and know nothing of the stack config. */
const DOMAIN = ["aws", "azure", "databricks", "lambda"];

/** The direction every import follows. */
export const DIRECTION_RULES: readonly DirectionRule[] = [
  {
    from: { only: ["net"] },
    mayNotImport: { except: ["net"] },
    why: "net/ holds generic helpers (IPv4/CIDR, DNS names, option errors) used by everyone; it imports nothing of ours",
  },
  {
    from: { only: DOMAIN },
    mayNotImport: {
      only: ["config", "plan", "preflight", "policy", "verify", "bench", "scripts", "test", "examples", "(root)"],
    },
    why: "aws/, azure/, databricks/ and lambda/ take typed Args; config/ maps the stack config onto them, never the reverse",
  },
  {
    from: { only: ["engine"] },
    mayNotImport: { only: ["plan", "config", "preflight", "verify", "(root)"] },
    why: "engine/ runs any Pulumi program offline: the plan and the tests use it, never the reverse",
  },
  {
    from: { except: ["verify", "scripts", "test"] },
    mayNotImport: { only: ["verify"] },
    why: "verify/ is a command of its own: only its script and its tests use it",
  },
  {
    from: { except: ["bench", "scripts", "test"] },
    mayNotImport: { only: ["bench"] },
    why: "bench/ is the harness shared by benchmark scripts and tests; the program never loads it",
  },
  {
    from: { except: ["test"] },
    mayNotImport: { only: ["test"] },
    why: "nothing outside test/ depends on the tests",
  },
  {
    from: { except: ["scripts", "test"] },
    mayNotImport: { only: ["scripts"] },
    why: "scripts/ are entry points: only tests may load them",
  },
];

/** One line per import that breaks a rule: `from → to: why`. Empty when the graph follows them all. */
export function importDirectionViolations(
  edges: readonly ImportEdge[],
  rules: readonly DirectionRule[] = DIRECTION_RULES,
): string[] {
  const found: string[] = [];
  for (const { from, to } of edges) {
    const [a, b] = [areaOf(from), areaOf(to)];
    if (a === b) continue;
    for (const rule of rules) {
      if (matches(rule.from, a) && matches(rule.mayNotImport, b)) found.push(`${from} → ${to}: ${rule.why}`);
    }
  }
  return found;
}
