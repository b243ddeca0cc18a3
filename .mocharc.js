// Mocha's config. The default spec applies only when no test file is named on the command line, so
// `npm test -- test/x.spec.ts` (and `npx mocha test/x.spec.ts`) runs that file alone; mocha would
// otherwise add the named file to the default glob and run everything.
const named = process.argv.slice(2).some((arg) => /\.spec\.ts$/.test(arg));

module.exports = {
  require: ["ts-node/register"],
  extension: ["ts"],
  // The first spec that evaluates the program compiles all of it through ts-node: on a loaded
  // 2-core machine that alone took over 30 s (alerts.spec's before hook, verify's npm-script test).
  timeout: 60000,
  ...(named ? {} : { spec: ["test/**/*.spec.ts"] }),
};
