import { describe } from "vitest";
import { createTestDatabase, withoutPostgres } from "../../../test/support/postgres.ts";
import { describeJobQueueContract } from "../job-queue-contract.ts";
import { openPostgresJobQueue } from "./postgres-job-queue.ts";

describe.skipIf(withoutPostgres())("PostgreSQL job queue", () => {
  describeJobQueueContract("PostgreSQL (a real server, two queues on one database)", async () => {
    const database = await createTestDatabase();
    const first = await openPostgresJobQueue(database.url, { retryDelayMs: 0 });
    const second = await openPostgresJobQueue(database.url, { retryDelayMs: 0 });
    return {
      first,
      second,
      async cleanup() {
        await first.close();
        await second.close();
        await database.drop();
      },
    };
  });
});
