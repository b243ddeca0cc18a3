// Lint rules that catch bugs the type checker lets through, with type information
// (typescript-eslint's project service reads tsconfig.json). Formatting is Prettier's job.
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "bin/", "**/node_modules/", "eslint.config.mjs", ".mocharc.js"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // An un-awaited promise hides its failure (and makes an Output assertion a test that cannot fail).
      // pulumi.log.* resolves when the engine has the message; the runtime keeps the program alive until then.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "@pulumi/pulumi", name: ["debug", "info", "warn", "error"] },
          ],
        },
      ],
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" },
      ],
      // Type-only imports are erased: the reader (and ts-node's transpile-only mode) sees what is loaded at run time.
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Pulumi resources are created for their side effect (`new aws.ec2.Eip(...)`).
      "no-new": "off",
    },
  },
  {
    // Tests assert on loosely typed recorded inputs and load a few untyped SDK internals.
    files: ["test/**/*.ts"],
    rules: {
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-require-imports": "off",
    },
  },
);
