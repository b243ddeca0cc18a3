/**
 * Bundles a Lambda (the EIP assigner, the connection rejecter) from its TypeScript source at deploy time (no built zip is committed).
 * esbuild output is a pure function of the sources, so an unchanged handler gives an unchanged
 * asset hash and a quiet preview.
 */
import * as path from "path";
import { buildSync } from "esbuild";

const cache = new Map<string, string>();

export const LAMBDA_ENTRY = path.resolve(__dirname, "..", "lambda", "index.ts");
export const CONNECTION_REJECTER_ENTRY = path.resolve(__dirname, "..", "lambda-connections", "index.ts");

export function bundleLambda(entry: string = LAMBDA_ENTRY): string {
  const cached = cache.get(entry);
  if (cached !== undefined) return cached;
  const result = buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    minify: true,
    sourcemap: false,
    legalComments: "none",
    write: false,
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  cache.set(entry, code);
  return code;
}
