import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { buildSync } from "esbuild";
import { cachedBundle } from "../aws/bundleCache";
import { bundleLambda, lambdaBundleFile, LAMBDA_ENTRY } from "../aws/lambdaBundle";

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

  it("the program's bundle: same file for the same sources, and the code carries the handler", () => {
    assert.strictEqual(lambdaBundleFile(LAMBDA_ENTRY), lambdaBundleFile(LAMBDA_ENTRY));
    assert.match(bundleLambda(LAMBDA_ENTRY), /handler/);
    assert.strictEqual(path.basename(lambdaBundleFile(LAMBDA_ENTRY)), "index.js");
  });
});
