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
const DOMAIN = ["aws", "azure", "databricks", "lambda", "lambda-connections"];
/** The Lambda functions' own code: bundled alone and run in AWS, so it loads nothing of the program. */
const LAMBDAS = ["lambda", "lambda-connections"];

/**
 * Every top-level folder with TypeScript, and the root (index.ts, program.ts). A new folder fails the
 * import-direction test until it is added here and given its rules.
 */
export const AREAS = [
  "(root)",
  "net",
  ...DOMAIN,
  "config",
  "preflight",
  "policy",
  "engine",
  "plan",
  "verify",
  "sim",
  "bench",
  "scripts",
  "examples",
  "test",
] as const;

/** `area` may be imported only by `users` (and by itself). */
const onlyImportedBy = (area: string, users: readonly string[], why: string): DirectionRule => ({
  from: { except: [area, ...users] },
  mayNotImport: { only: [area] },
  why,
});

/** The direction every import follows. */
export const DIRECTION_RULES: readonly DirectionRule[] = [
  {
    from: { only: ["net"] },
    mayNotImport: { except: ["net"] },
    why: "net/ holds generic helpers (IPv4/CIDR, DNS names, option errors) used by everyone; it imports nothing of ours",
  },
  {
    from: { only: DOMAIN },
    mayNotImport: { except: [...DOMAIN, "net"] },
    why: "aws/, azure/, databricks/ and the lambdas take typed Args and import only each other and net/; config/ maps the stack config onto them, never the reverse",
  },
  ...LAMBDAS.map((lambda): DirectionRule => ({
    from: { only: [lambda] },
    mayNotImport: { except: [lambda, "net"] },
    why: `${lambda}/ is bundled alone into its function: it imports only itself and net/, nothing of the program`,
  })),
  {
    from: { only: ["config"] },
    mayNotImport: { except: [...DOMAIN, "net"] },
    why: "config/ may use pure domain facts and net/; it runs before everything else and imports nothing above it",
  },
  {
    from: { only: ["policy"] },
    mayNotImport: { except: [...DOMAIN, "net"] },
    why: "policy/ is a policy pack run by the Pulumi engine beside the program: it may use domain facts, never the program's config or plan",
  },
  {
    from: { only: ["examples"] },
    mayNotImport: { except: ["examples"] },
    why: "examples/ is consumer code: it uses the stack's outputs, not this repository's modules",
  },
  {
    from: { only: ["engine"] },
    mayNotImport: { only: ["plan", "config", "preflight", "verify", "(root)"] },
    why: "engine/ runs any Pulumi program offline: the plan and the tests use it, never the reverse",
  },
  onlyImportedBy(
    "preflight",
    ["(root)", "plan", "scripts", "test"],
    "preflight/ checks run from the program at preview: only the program, the plan and tests load them",
  ),
  onlyImportedBy(
    "engine",
    ["plan", "verify", "scripts", "test"],
    "engine/ is the offline engine: the program never loads it",
  ),
  onlyImportedBy(
    "plan",
    ["sim", "scripts", "test"],
    "plan/ is the offline plan and its presentation: the program never loads it",
  ),
  onlyImportedBy(
    "policy",
    ["plan", "scripts", "test"],
    "policy/ is loaded by the Pulumi engine and the plan, never by the program",
  ),
  onlyImportedBy(
    "verify",
    ["scripts", "test"],
    "verify/ is a command of its own: only its script and its tests use it",
  ),
  onlyImportedBy(
    "bench",
    ["scripts", "test"],
    "bench/ is the harness shared by benchmark scripts and tests; the program never loads it",
  ),
  onlyImportedBy(
    "sim",
    ["bench", "scripts", "test"],
    "sim/ is the fleet simulation for scripts, benchmarks and tests; the program never loads it",
  ),
  onlyImportedBy("examples", ["test"], "examples/ stand alone: only their tests load them"),
  onlyImportedBy("scripts", ["test"], "scripts/ are entry points: only tests may load them"),
  onlyImportedBy("test", [], "nothing outside test/ depends on the tests"),
];

/** Areas of the files that no rule knows about (a new top-level folder): each needs its rules. */
export function unknownAreas(files: readonly string[]): string[] {
  return [...new Set(files.map(areaOf))].filter((area) => !(AREAS as readonly string[]).includes(area)).sort();
}

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
