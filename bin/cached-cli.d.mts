// Types of bin/cached-cli.mjs (plain JavaScript: bin/ runs before any build), for the TypeScript that imports it.
export declare const cachedBundleWrapper: string;
export declare function cachedBundle(root: URL): string | null;
export declare function loadCachedBundle(
  file: string,
  writeCache?: "if-rejected" | "never",
): { exports: { main(argv: string[]): Promise<number>; runCli(argv: string[], io: unknown): Promise<number> }; save(): void };
