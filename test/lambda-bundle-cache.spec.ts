import * as assert from "assert";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSync } from "esbuild";
import { cachedBundle, isPrivateFolder } from "../aws/bundleCache";
import { bundleCacheDir, bundleLambda, lambdaBundleFile, LAMBDA_ENTRY } from "../aws/lambdaBundle";

/** A tiny project: `src/index.ts` imports `./lib/greeting`, bundled by the real esbuild. */
function project() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-cache-"));
  fs.mkdirSync(path.join(root, "src", "lib", "greeting"), { recursive: true });
  fs.writeFileSync(
    path.join(root, "src", "index.ts"),
    'import { greeting } from "./lib/greeting";\nexport const handler = () => greeting;\n',
  );
  fs.writeFileSync(path.join(root, "src", "lib", "greeting", "index.ts"), 'export const greeting: string = "hello";\n');
  let builds = 0;
  const options = {
    entry: path.join(root, "src", "index.ts"),
    workingDir: root,
    cacheDir: path.join(root, "cache"),
    keyParts: ["esbuild-test"],
    build: () => {
      builds++;
      const r = buildSync({
        entryPoints: [path.join(root, "src", "index.ts")],
        bundle: true,
        write: false,
        metafile: true,
        absWorkingDir: root,
        format: "cjs",
        platform: "node",
        logLevel: "silent",
      });
      return { code: r.outputFiles[0].text, inputs: Object.keys(r.metafile.inputs) };
    },
  };
  fs.mkdirSync(options.cacheDir);
  return {
    root,
    options,
    builds: () => builds,
    bundle: (overrides: Partial<typeof options> = {}) =>
      fs.readFileSync(cachedBundle({ ...options, ...overrides }), "utf8"),
    write: (rel: string, text: string) => fs.writeFileSync(path.join(root, rel), text),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

describe("Lambda bundle cache (real esbuild, temp project)", () => {
  let p: ReturnType<typeof project>;
  beforeEach(() => (p = project()));
  afterEach(() => p.cleanup());

  it("builds once; unchanged sources reuse the bundle without running esbuild", () => {
    const first = p.bundle();
    assert.match(first, /hello/);
    assert.strictEqual(p.bundle(), first);
    assert.strictEqual(p.builds(), 1);
  });

  it("rebuilds when a file the bundle was built from changes", () => {
    p.bundle();
    p.write("src/lib/greeting/index.ts", 'export const greeting: string = "bonjour";\n');
    assert.match(p.bundle(), /bonjour/);
    assert.strictEqual(p.builds(), 2);
  });

  it("rebuilds when a new file takes over an import (lib/greeting.ts wins over lib/greeting/index.ts)", () => {
    p.bundle();
    p.write("src/lib/greeting.ts", 'export const greeting: string = "shadowed";\n');
    assert.match(p.bundle(), /shadowed/);
    assert.strictEqual(p.builds(), 2);
  });

  it("rebuilds when the key (tool version, options, lockfile) changes", () => {
    p.bundle();
    p.bundle({ keyParts: ["esbuild-test", "new lockfile"] });
    assert.strictEqual(p.builds(), 2);
  });

  it("never serves a damaged cache entry: an edited output is rebuilt", () => {
    const file = cachedBundle(p.options);
    fs.writeFileSync(file, "module.exports.handler = () => 'tampered';");
    assert.match(p.bundle(), /hello/);
    assert.strictEqual(p.builds(), 2);
  });

  it("does not remember a build when a source changed while esbuild ran, even with its old mtime kept (cp -p, rsync -t, tar)", () => {
    const greeting = path.join(p.root, "src", "lib", "greeting", "index.ts");
    const { mtime } = fs.statSync(greeting);
    const first = p.bundle({
      build: () => {
        const built = p.options.build();
        // Saved after esbuild read it, its modification time set back as archive tools do.
        fs.writeFileSync(greeting, 'export const greeting: string = "changed meanwhile";\n');
        fs.utimesSync(greeting, mtime, mtime);
        return built;
      },
    });
    assert.match(first, /hello/);
    assert.match(p.bundle(), /changed meanwhile/, "the next run must rebuild, not serve the bundle of the old source");
    assert.strictEqual(p.builds(), 2);
  });

  it("never trusts a manifest that lists no inputs (a planted entry is rebuilt, not deployed)", () => {
    p.bundle();
    const [manifestName] = fs.readdirSync(p.options.cacheDir).filter((entry) => entry.endsWith(".json"));
    const manifestPath = path.join(p.options.cacheDir, manifestName);
    const planted = "exports.handler = async () => 'planted';";
    const plantedHash = crypto.createHash("sha256").update(planted).digest("hex");
    fs.mkdirSync(path.join(p.options.cacheDir, plantedHash));
    fs.writeFileSync(path.join(p.options.cacheDir, plantedHash, "index.js"), planted);
    const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
    fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, inputs: {}, folders: {}, output: plantedHash }));
    assert.match(p.bundle(), /hello/);
    assert.strictEqual(p.builds(), 2);
  });

  it("marks a bundle as in use on every hit, so pruning by age never removes one a running update reads", () => {
    const file = cachedBundle(p.options);
    const old = new Date(Date.now() - 3600_000);
    fs.utimesSync(path.dirname(file), old, old);
    assert.strictEqual(cachedBundle(p.options), file);
    assert.ok(Date.now() - fs.statSync(path.dirname(file)).mtimeMs < 60_000);
  });

  it("the program's bundle: same file for the same sources, and the code carries the handler", () => {
    assert.strictEqual(lambdaBundleFile(LAMBDA_ENTRY), lambdaBundleFile(LAMBDA_ENTRY));
    assert.match(bundleLambda(LAMBDA_ENTRY), /handler/);
    assert.strictEqual(path.basename(lambdaBundleFile(LAMBDA_ENTRY)), "index.js");
  });
});

describe("Lambda bundle cache folder", () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-folder-"))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("trusts a folder of this user that others cannot write, and refuses a world-writable one (planted code)", () => {
    fs.chmodSync(dir, 0o700);
    assert.strictEqual(isPrivateFolder(dir), true);
    fs.chmodSync(dir, 0o777);
    assert.strictEqual(isPrivateFolder(dir), false);
    fs.chmodSync(dir, 0o770);
    assert.strictEqual(isPrivateFolder(dir, { groupMayWrite: false }), false);
    assert.strictEqual(isPrivateFolder(dir), true);
  });

  it("refuses a symlink in the shared temp folder, where anyone may have created it", () => {
    const target = path.join(dir, "target");
    fs.mkdirSync(target, { mode: 0o700 });
    fs.symlinkSync(target, path.join(dir, "link"));
    assert.strictEqual(isPrivateFolder(path.join(dir, "link"), { groupMayWrite: false, followLinks: false }), false);
  });

  it("finds its folder for a user with no passwd entry (containers run with an arbitrary uid)", () => {
    const osModule = require("os") as { userInfo: () => unknown };
    const userInfo = osModule.userInfo;
    osModule.userInfo = () => {
      throw new Error("uv_os_get_passwd returned ENOENT (no such file or directory)");
    };
    try {
      assert.ok(fs.existsSync(bundleCacheDir()));
    } finally {
      osModule.userInfo = userInfo;
    }
  });
});
