/** Moved to the ingest pipeline (the job code of workers and server threads uses it). */
export { forgettingHashes } from "../ingest/forgetting-hashes.ts";
