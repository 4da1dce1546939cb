/** Library settings in PostgreSQL: JSON values by key, typed on the way in and out by each setting's zod schema. */
import { HearthError } from "../../errors/hearth-error.ts";
import { familyKeyRange, parseFamily, parseSetting, validateSetting } from "../setting-values.ts";
import type { SettingDefinition, SettingFamily, SettingsStore } from "../types.ts";
import { moveLibraryVersion } from "./postgres-version.ts";
import type { WorkspaceQueries } from "./workspace-queries.ts";

export class PostgresSettings implements SettingsStore {
  readonly #queries: WorkspaceQueries;

  constructor(queries: WorkspaceQueries) {
    this.#queries = queries;
  }

  async get<Value>(setting: SettingDefinition<Value>): Promise<Value | undefined> {
    const result = await this.#queries.query<{ value: unknown }>(
      "SELECT value FROM library_settings WHERE workspace_id = $1 AND key = $2",
      [setting.key],
      // Named (parsed and planned once per connection): the server reads the workspace's provider on every question.
      "hearth_setting",
    );
    // A value that no longer matches its schema (written by an older Hearth) reads as unset.
    return parseSetting(setting, result.rows[0]?.value);
  }

  async set<Value>(setting: SettingDefinition<Value>, value: Value): Promise<void> {
    const json = JSON.stringify(validateSetting(setting, value));
    if (json === undefined) {
      throw new HearthError("INVALID_INPUT", `setting "${setting.key}": the value cannot be stored as JSON`, { subject: setting.key });
    }
    await this.#queries.transaction(async (queries) => {
      await queries.query(
        `INSERT INTO library_settings (workspace_id, key, value) VALUES ($1, $2, $3::jsonb)
         ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value`,
        [setting.key, json],
      );
      await moveLibraryVersion(queries);
    });
  }

  async setMany<Value>(entries: readonly { setting: SettingDefinition<Value>; value: Value }[]): Promise<void> {
    if (entries.length === 0) return;
    const keys: string[] = [];
    const values: string[] = [];
    for (const { setting, value } of entries) {
      const json = JSON.stringify(validateSetting(setting, value));
      if (json === undefined) {
        throw new HearthError("INVALID_INPUT", `setting "${setting.key}": the value cannot be stored as JSON`, { subject: setting.key });
      }
      keys.push(setting.key);
      values.push(json);
    }
    await this.#queries.transaction(async (queries) => {
      // One statement for all of them; a key given twice keeps its last value, as `set` in turn would.
      await queries.query(
        `INSERT INTO library_settings (workspace_id, key, value)
         SELECT DISTINCT ON (t.key) $1, t.key, t.value::jsonb FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS t(key, value, n) ORDER BY t.key, t.n DESC
         ON CONFLICT (workspace_id, key) DO UPDATE SET value = excluded.value`,
        [keys, values],
      );
      await moveLibraryVersion(queries);
    });
  }

  async getFamily<Value>(family: SettingFamily<Value>): Promise<Map<string, Value>> {
    const { from, to } = familyKeyRange(family);
    const result = await this.#queries.query<{ key: string; value: unknown }>(
      `SELECT key, value FROM library_settings WHERE workspace_id = $1 AND key COLLATE "C" >= $2 AND key COLLATE "C" < $3`,
      [from, to],
    );
    return parseFamily(family, result.rows);
  }

  async list(): Promise<{ key: string; value: unknown }[]> {
    const result = await this.#queries.query<{ key: string; value: unknown }>(
      `SELECT key, value FROM library_settings WHERE workspace_id = $1 ORDER BY key COLLATE "C"`,
    );
    return result.rows.map((row) => ({ key: row.key, value: row.value }));
  }
}
