/**
 * A content-addressed cache for esbuild bundles, so `pulumi preview`/`up` (and the offline plan) bundle
 * a Lambda only when something it is built from changed. Hit = same esbuild version, options, entry,
 * tsconfig and lockfile, every file esbuild read (its metafile inputs) byte-identical, and no new file
 * in a source folder that could now win module resolution; the output is re-hashed before use, so a
 * torn or edited cache entry is rebuilt, never deployed. The cache folder is trusted as code: it must
 * belong to the user and be closed to others (isPrivateFolder).
 */
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";

/** What a build returns: the bundled code and the files it read (relative to `workingDir`). */
export interface BuiltBundle {
  readonly code: string;
  readonly inputs: readonly string[];
}

export interface BundleCacheOptions {
  readonly entry: string;
  /** Folder the inputs are relative to (esbuild's absWorkingDir). */
  readonly workingDir: string;
  readonly cacheDir: string;
  /** Everything besides the inputs that decides the output: tool version, options, lockfile … */
  readonly keyParts: readonly string[];
  readonly build: () => BuiltBundle;
}

/** What the cache remembers about one entry's last build. */
interface Manifest {
  readonly key: string;
  readonly inputs: Record<string, string>;
  readonly folders: Record<string, string>;
  readonly output: string;
}

function sha256(data: string | Buffer): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

function fileHash(file: string): string | undefined {
  try {
    return sha256(fs.readFileSync(file));
  } catch {
    return undefined;
  }
}

/** A folder's entry names: a new `x.ts` beside or above an input can change what an import resolves to. */
function folderHash(dir: string): string | undefined {
  try {
    return sha256(fs.readdirSync(dir).sort().join("\n"));
  } catch {
    return undefined;
  }
}

/**
 * Our own source folders among the inputs and their parents up to `workingDir`, where a new file could
 * take over an import (`../lib/x` → a new `lib/x.ts` beside `lib/x/index.ts`); node_modules is covered
 * by the lockfile in the key.
 */
function sourceFolders(workingDir: string, inputs: readonly string[]): string[] {
  const root = path.resolve(workingDir);
  const folders = new Set<string>();
  for (const input of inputs) {
    if (input.split(/[\\/]/).includes("node_modules")) continue;
    let dir = path.dirname(path.resolve(root, input));
    while (dir.startsWith(root) && !folders.has(dir)) {
      folders.add(dir);
      if (dir === root) break;
      dir = path.dirname(dir);
    }
  }
  return [...folders].sort();
}

function manifestFile(options: BundleCacheOptions): string {
  return path.join(options.cacheDir, `${sha256(path.resolve(options.entry)).slice(0, 16)}.json`);
}

function readManifest(file: string): Manifest | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as Manifest;
  } catch {
    return undefined;
  }
}

/** Write-then-rename: a preview and an update bundling at once never see half a file. */
function writeAtomically(file: string, data: string): void {
  const temp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(temp, data);
  fs.renameSync(temp, file);
}

/** The cached output's path when the manifest still describes the sources on disk, else undefined. */
function hit(options: BundleCacheOptions, key: string): string | undefined {
  const manifest = readManifest(manifestFile(options));
  // Every real build reads at least its entry: a manifest without inputs vouches for nothing.
  if (!manifest || manifest.key !== key || Object.keys(manifest.inputs ?? {}).length === 0) return undefined;
  for (const [input, hash] of Object.entries(manifest.inputs)) {
    if (fileHash(path.resolve(options.workingDir, input)) !== hash) return undefined;
  }
  for (const [folder, hash] of Object.entries(manifest.folders)) {
    if (folderHash(folder) !== hash) return undefined;
  }
  const output = path.join(options.cacheDir, manifest.output, "index.js");
  if (fileHash(output) !== manifest.output) return undefined;
  markInUse(path.dirname(output));
  return output;
}

/** Pruning goes by the output folder's age: a hit makes it young again, so a bundle in use is never pruned. */
function markInUse(dir: string): void {
  try {
    const now = new Date();
    fs.utimesSync(dir, now, now);
  } catch {
    // Read-only cache: nothing prunes it either.
  }
}

/**
 * The path of `entry`'s bundle (a file named `index.js` in a folder named by its sha256), built only
 * when the cache has no valid entry for the sources as they are now.
 */
export function cachedBundle(options: BundleCacheOptions): string {
  const key = sha256(JSON.stringify([path.resolve(options.entry), ...options.keyParts]));
  const cached = hit(options, key);
  if (cached) return cached;

  const started = Date.now();
  const { code, inputs } = options.build();
  const outputHash = sha256(code);
  const outputDir = path.join(options.cacheDir, outputHash);
  fs.mkdirSync(outputDir, { recursive: true });
  const output = path.join(outputDir, "index.js");
  writeAtomically(output, code);
  // A file saved while esbuild ran may or may not be in `code`: use the bundle, but don't remember it.
  if (inputs.some((input) => modifiedSince(path.resolve(options.workingDir, input), started))) return output;
  const manifest: Manifest = {
    key,
    inputs: Object.fromEntries(inputs.map((input) => [input, fileHash(path.resolve(options.workingDir, input)) ?? ""])),
    folders: Object.fromEntries(
      sourceFolders(options.workingDir, inputs).map((folder) => [folder, folderHash(folder) ?? ""]),
    ),
    output: outputHash,
  };
  writeAtomically(manifestFile(options), JSON.stringify(manifest));
  pruneUnreferenced(options.cacheDir);
  return output;
}

/**
 * Whether `file` changed after `time`. The inode change time counts too: `cp -p`, `rsync -t` and archive
 * tools set the modification time back, but the kernel stamps ctime on every write and utimes. On a
 * filesystem with whole-second times, a change in the second the build started cannot be told apart
 * from one before it: assume it came after (one extra build later, never a stale bundle).
 */
function modifiedSince(file: string, time: number): boolean {
  try {
    const { mtimeMs, ctimeMs } = fs.statSync(file);
    const changed = Math.max(mtimeMs, ctimeMs);
    return changed % 1000 === 0 ? changed >= Math.floor(time / 1000) * 1000 : changed > time;
  } catch {
    return true;
  }
}

/**
 * Whether `dir` may hold code this user will deploy: a directory of this user (where the platform has
 * uids) that others cannot write into, and, in a shared place such as the temp folder, not a symlink and
 * not group-writable either (anyone could have created it first and planted a bundle).
 */
export function isPrivateFolder(
  dir: string,
  { groupMayWrite = true, followLinks = true }: { groupMayWrite?: boolean; followLinks?: boolean } = {},
): boolean {
  try {
    const stat = followLinks ? fs.statSync(dir) : fs.lstatSync(dir);
    if (!stat.isDirectory()) return false;
    const uid = process.getuid?.();
    if (uid !== undefined && stat.uid !== uid) return false;
    return (stat.mode & (groupMayWrite ? 0o002 : 0o022)) === 0;
  } catch {
    return false;
  }
}

/** Outputs no manifest points at any more, once they are old enough that no concurrent run is using them. */
const PRUNE_AFTER_MS = 10 * 60 * 1000;

function pruneUnreferenced(cacheDir: string): void {
  const entries = fs.readdirSync(cacheDir);
  const referenced = new Set(
    entries.filter((e) => e.endsWith(".json")).map((e) => readManifest(path.join(cacheDir, e))?.output),
  );
  for (const entry of entries) {
    const dir = path.join(cacheDir, entry);
    if (!/^[0-9a-f]{64}$/.test(entry) || referenced.has(entry)) continue;
    if (Date.now() - fs.statSync(dir).mtimeMs > PRUNE_AFTER_MS) fs.rmSync(dir, { recursive: true, force: true });
  }
}
