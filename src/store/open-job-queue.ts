/**
 * The configured job queue: PostgreSQL when `storeUrl` is a postgres:// URL (servers and workers on several
 * machines share it), else `<dataDir>/jobs.db`.
 */
import type { HearthConfig } from "../config/config.ts";
import type { JobQueue, JobQueueOptions } from "./job-queue-types.ts";
import { isPostgresUrl } from "./postgres/postgres-connection.ts";
import { openSqliteJobQueue } from "./sqlite-job-queue.ts";

export async function openJobQueue(config: Pick<HearthConfig, "dataDir" | "storeUrl">, options: JobQueueOptions = {}): Promise<JobQueue> {
  if (config.storeUrl !== undefined && isPostgresUrl(config.storeUrl)) {
    const { openPostgresJobQueue } = await import("./postgres/postgres-job-queue.ts");
    return openPostgresJobQueue(config.storeUrl, options);
  }
  return openSqliteJobQueue({ dataDir: config.dataDir, ...options });
}
