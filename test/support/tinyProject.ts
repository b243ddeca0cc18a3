/**
 * A throwaway Pulumi project in the OS temp folder (never in the working tree), sharing this
 * repository's node_modules, for running small programs through the offline engine.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface TinyProject {
  readonly dir: string;
  remove(): void;
}

export interface TinyProjectOptions {
  /** The program (`index.ts`). Repository modules can be imported by absolute path via `REPO_ROOT`. */
  readonly program: string;
  /** tsconfig.json contents. @default this repository's tsconfig.json */
  readonly tsconfig?: object;
  /** Stack file contents (`Pulumi.dev.yaml`). @default an empty config */
  readonly stackFile?: string;
}

export function tinyProject(options: TinyProjectOptions): TinyProject {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tiny-pulumi-"));
  fs.writeFileSync(
    path.join(dir, "Pulumi.yaml"),
    "name: tiny\nruntime:\n  name: nodejs\n  options:\n    typescript: true\nmain: index.ts\n",
  );
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "tiny", private: true, type: "commonjs", main: "index.ts" }),
  );
  const tsconfig = options.tsconfig ?? JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "tsconfig.json"), "utf8"));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({ ...tsconfig, include: ["*.ts"] }));
  fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), options.stackFile ?? "config: {}\n");
  fs.writeFileSync(path.join(dir, "index.ts"), options.program);
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
