/**
 * zod settings for a `hearth` process, imported first by main.ts so they hold before any module builds a schema
 * (zod reads them when a schema is built). `jitless`: zod otherwise compiles a parser (new Function) for each object
 * schema on its first parse, which pays for itself only over many parses of one schema; a CLI process parses most
 * schemas once (data files, config, settings), and the compiling was ~5% of a `hearth ask` (docs/benchmarks.md,
 * "issue 10, fifth stop"). Validation is the same either way.
 */
import * as z from "zod";

z.config({ jitless: true });
