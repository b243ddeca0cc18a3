// Writes docs/permissions.md from policy/permissions.ts and preflight/registry.ts (test/permissions.spec.ts keeps them equal).
import { writeFileSync } from "fs";
import * as path from "path";
import { renderPermissionsDoc } from "../plan/sections/permissions";

writeFileSync(path.resolve(__dirname, "..", "docs", "permissions.md"), renderPermissionsDoc());
