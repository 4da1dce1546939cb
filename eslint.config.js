// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/**", "scratch/**", "dist/**", "web/dist/**", "coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: "readonly", console: "readonly", Buffer: "readonly", URL: "readonly", setTimeout: "readonly", clearTimeout: "readonly" } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration once in src/config and pass it down." }],
    },
  },
  {
    // The web app runs in the browser (web/src); its build config runs in Node.
    files: ["web/**"],
    languageOptions: {
      globals: {
        window: "readonly", document: "readonly", navigator: "readonly", fetch: "readonly", FormData: "readonly", File: "readonly",
        Response: "readonly", AbortController: "readonly", DOMException: "readonly", TextDecoderStream: "readonly", HTMLElement: "readonly",
        localStorage: "readonly", Intl: "readonly",
      },
    },
  },
  {
    files: ["src/config/**", "src/cli/main.ts", "bench/**", "**/*.test.ts", "**/*-contract.ts", "test/**", "vitest.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
);
