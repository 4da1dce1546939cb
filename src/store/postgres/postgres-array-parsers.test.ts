import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, withoutPostgres, type TestDatabase } from "../../../test/support/postgres.ts";
import { fastArrayTypes } from "./postgres-array-parsers.ts";
import { acquirePostgresPool, releasePostgresPool } from "./postgres-connection.ts";
import { WorkspaceQueries } from "./workspace-queries.ts";

const general = (oid: number, text: string): unknown => (pg.types.getTypeParser(oid, "text") as (value: string) => unknown)(text);
const fast = (oid: number, text: string): unknown => fastArrayTypes.getTypeParser(oid, "text")(text);

describe("the faster array parsers", () => {
  it("give what node-postgres's own parsers give, for PostgreSQL's output and for shapes it reads the general way", () => {
    const samples: Record<number, string[]> = {
      1022: ["{}", "{1}", "{0,1.5,-2,3e-07,1.2345678901234567e+300,-0,NaN,Infinity,-Infinity}", "{NULL,2,NULL}", "{{1,2},{3,4}}", "[0:1]={1,2}", '{"1",2}', "{1, 2}", "{1,,2}", "{0.1,0.30000000000000004}"],
      1021: ["{1.5,2.25}", "{}"],
      1000: ["{t,f,t}", "{NULL,f}", "{}", "{{t},{f}}", '{"t",f}', "{true,yes,on,1,0,no,off,false}"],
      1016: ["{1,9007199254740993,-5}", "{NULL}", "{}", "{{1},{2}}"],
    };
    for (const [oid, texts] of Object.entries(samples)) {
      for (const text of texts) expect(fast(Number(oid), text), `${oid} ${text}`).toEqual(general(Number(oid), text));
    }
    // -0 and NaN kept as such (toEqual tells -0 from 0 and compares NaN with itself).
    expect(fast(1022, "{-0,NaN}")).toEqual([-0, Number.NaN]);
    // Bigints stay text, as node-postgres gives them.
    expect(fast(1016, "{9007199254740993}")).toEqual(["9007199254740993"]);
  });

  it("leave every other type to node-postgres", () => {
    for (const oid of [25, 701, 1009, 1007, 3802, 16]) expect(fastArrayTypes.getTypeParser(oid, "text")).toBe(pg.types.getTypeParser(oid, "text"));
    expect(fastArrayTypes.getTypeParser(1022, "binary")).toBe(pg.types.getTypeParser(1022 as Parameters<typeof pg.types.getTypeParser>[0], "binary"));
  });
});

describe.skipIf(withoutPostgres())("the faster array parsers against a server", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await releasePostgresPool(database.url);
    await database.drop();
  });

  it("read the same rows as node-postgres's parsers, and the store's statements use them", async () => {
    const pool = await acquirePostgresPool(database.url);
    const sql = `SELECT ARRAY[0.1::float8, 1e-300, -0.0, 'NaN', '-Infinity', NULL, 3, 2.5e20, 1::float8/3] AS floats,
      ARRAY[true, false, NULL] AS flags, ARRAY[1::bigint, 9007199254740993, -4, NULL] AS ids, '{}'::float8[] AS empty,
      ARRAY[[1.5::float8, 2], [3, 4]] AS nested, ARRAY['a b', 'c,"d"']::text[] AS texts,
      '[2:3]={5,6}'::float8[] AS bounded, ARRAY[1.25::float4] AS singles`;
    const plain = await pool.query(sql);
    const faster = await pool.query({ text: sql, types: fastArrayTypes });
    expect(faster.rows).toEqual(plain.rows);
    expect(faster.rows[0].floats[0]).toBe(0.1);
    expect(faster.rows[0].floats[8]).toBe(1 / 3);

    // Through the store's one way of speaking SQL: a parser spy sees the faster reader asked for.
    await pool.query("CREATE TABLE library_probe (workspace_id text NOT NULL, counts float8[] NOT NULL)");
    await pool.query("INSERT INTO library_probe VALUES ('w', '{1,2.5,NULL}'), ('other', '{9}')");
    const asked: number[] = [];
    const original = fastArrayTypes.getTypeParser;
    fastArrayTypes.getTypeParser = (oid, format) => {
      asked.push(oid);
      return original(oid, format);
    };
    try {
      const rows = await new WorkspaceQueries(pool, "w").query<{ counts: (number | null)[] }>("SELECT counts FROM library_probe WHERE workspace_id = $1");
      expect(rows.rows).toEqual([{ counts: [1, 2.5, null] }]);
      expect(asked).toContain(1022);
    } finally {
      fastArrayTypes.getTypeParser = original;
    }
  });
});
