/**
 * `npm run verify -- --stack NAME`: post-deploy check of the Databricks → Azure OpenAI path.
 * Everything lives in verify/verify.ts; this entry only sets the exit code.
 */
import { runVerify } from "../verify/verify";

void runVerify(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
