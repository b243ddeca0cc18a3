/**
 * Bundles a Lambda (the EIP assigner, the connection rejecter) from its TypeScript source at deploy time
 * (no built zip is committed). esbuild output is a pure function of the sources, so an unchanged handler
 * gives an unchanged asset hash and a quiet preview. Bundles are cached by content (aws/bundleCache.ts)
 * and handed to Pulumi as a file: each program run (every preview, up and offline plan) would otherwise
 * re-bundle ~1.7 MB per function and send it through the engine's gRPC as text.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";
import { cachedBundle, isPrivateFolder } from "./bundleCache";

const PROJECT_ROOT = path.resolve(__dirname, "..");

export const LAMBDA_ENTRY = path.join(PROJECT_ROOT, "lambda", "index.ts");
export const CONNECTION_REJECTER_ENTRY = path.join(PROJECT_ROOT, "lambda-connections", "index.ts");

const BUILD_OPTIONS = {
  bundle: true,
  platform: "node",
  target: "node22",
  format: "cjs",
  minify: true,
  sourcemap: false,
  legalComments: "none",
  write: false,
  metafile: true,
  logLevel: "silent",
} as const satisfies BuildOptions;

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** Where bundles are cached: a CI job can point it at a folder it persists between runs. */
export const BUNDLE_CACHE_ENV = "LAMBDA_BUNDLE_CACHE_DIR";

/**
 * `LAMBDA_BUNDLE_CACHE_DIR`, else node_modules/.cache (the convention of babel, eslint …), else a folder
 * of this user in the temp folder when that is read-only. Each must be private (isPrivateFolder): what
 * it holds is deployed as the functions' code. No os.userInfo(): it throws for a uid without a passwd
 * entry, as containers often run.
 */
export function bundleCacheDir(): string {
  const shared = path.join(os.tmpdir(), `dbx-aoai-link-lambda-${process.getuid?.() ?? "user"}`);
  const candidates: { dir: string | undefined; strict: boolean }[] = [
    { dir: process.env[BUNDLE_CACHE_ENV], strict: false },
    { dir: path.join(PROJECT_ROOT, "node_modules", ".cache", "dbx-aoai-link", "lambda"), strict: false },
    { dir: shared, strict: true },
  ];
  for (const { dir, strict } of candidates) {
    if (!dir) continue;
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      if (!isPrivateFolder(dir, { groupMayWrite: !strict, followLinks: !strict })) continue;
      fs.accessSync(dir, fs.constants.W_OK);
      return dir;
    } catch {
      continue;
    }
  }
  throw new Error(
    `${BUNDLE_CACHE_ENV}: no folder for the Lambda bundles that this user owns, can write and others cannot ` +
      `(node_modules/.cache is read-only, and ${shared} belongs to someone else or is open to others). ` +
      `Fix: set ${BUNDLE_CACHE_ENV} to a folder of your own (mode 700).`,
  );
}

const files = new Map<string, string>();

let cacheDir: string | undefined;

let keyParts: string[] | undefined;

/** What decides a bundle besides its inputs, read once per program run (the lockfile is large). */
function bundleKeyParts(): string[] {
  keyParts ??= [
    esbuildVersion,
    JSON.stringify(BUILD_OPTIONS),
    readOrEmpty(path.join(PROJECT_ROOT, "tsconfig.json")),
    readOrEmpty(path.join(PROJECT_ROOT, "package-lock.json")),
  ];
  return keyParts;
}

/** The path of `entry`'s bundle, built by esbuild unless the cache holds one for the sources as they are. */
export function lambdaBundleFile(entry: string = LAMBDA_ENTRY): string {
  const known = files.get(entry);
  if (known !== undefined) return known;
  const file = cachedBundle({
    entry,
    workingDir: PROJECT_ROOT,
    // Found once per program run, like the key: both functions share it.
    cacheDir: (cacheDir ??= bundleCacheDir()),
    keyParts: bundleKeyParts(),
    build: () => {
      const result = buildSync({ ...BUILD_OPTIONS, entryPoints: [entry], absWorkingDir: PROJECT_ROOT });
      return { code: result.outputFiles[0].text, inputs: Object.keys(result.metafile.inputs) };
    },
  });
  files.set(entry, file);
  return file;
}

/** The bundled code of `entry`. */
export function bundleLambda(entry: string = LAMBDA_ENTRY): string {
  return fs.readFileSync(lambdaBundleFile(entry), "utf8");
}

/**
 * The function's code: `index.js` in a zip. Pulumi compares assets by content hash only, so this file
 * asset equals the text asset earlier versions sent (pulumi/pulumi sdk/go/common/resource/asset: "value
 * equality is determined only by the hash") and existing stacks see no code change.
 */
export function lambdaCode(entry: string = LAMBDA_ENTRY): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.FileAsset(lambdaBundleFile(entry)) });
}
