/**
 * zod settings for a `hearth` process, imported first by main.ts so they hold before any module builds a schema
 * (zod reads them when a schema is built). `jitless`: zod otherwise compiles a parser (new Function) for each object
 * schema on its first parse, which pays for itself only over many parses of one schema; a CLI process parses most
 * schemas once (data files, config, settings), and the compiling was ~5% of a `hearth ask` (docs/benchmarks.md,
 * "issue 10, fifth stop"). Validation is the same either way.
 *
 * Set without loading zod: zod keeps its settings in `globalThis.__zod_globalConfig` (one object shared by every copy
 * of zod in a process) and takes the object it finds there when it loads. Importing zod here to call `z.config()`
 * made every command load and initialise all of zod (~230 KB) at start, ~5-10 ms of a `hearth --version` that builds
 * no schema (docs/benchmarks.md, "issue 10, tenth stop"). src/cli/zod-settings.test.ts checks, in a fresh process,
 * that zod reads the setting, so a zod release that moved it fails there rather than silently compiling again.
 */
const shared = globalThis as { __zod_globalConfig?: { jitless?: boolean } };
shared.__zod_globalConfig ??= {};
shared.__zod_globalConfig.jitless = true;

export {};
