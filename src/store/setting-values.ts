/**
 * Reading and writing typed settings (`SettingDefinition`), shared by every Store implementation so that they agree:
 * a stored value that no longer matches its schema reads as undefined; an invalid value is refused before it is saved.
 */
import { HearthError } from "../errors/hearth-error.ts";
import type { SettingDefinition, SettingFamily } from "./types.ts";

/** A setting's stored value when it still matches the setting's schema, else undefined. */
export function parseSetting<Value>(setting: SettingDefinition<Value>, stored: unknown): Value | undefined {
  if (stored === undefined) return undefined;
  const parsed = setting.schema.safeParse(stored);
  return parsed.success ? parsed.data : undefined;
}

/** The value to save for a setting, or HearthError("INVALID_INPUT") naming the key and the first problem. */
export function validateSetting<Value>(setting: SettingDefinition<Value>, value: Value): Value {
  const parsed = setting.schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` (${issue.path.join(".")})` : "";
    throw new HearthError("INVALID_INPUT", `setting "${setting.key}": ${issue?.message ?? "invalid value"}${where}`, {
      subject: setting.key,
      cause: parsed.error,
    });
  }
  return parsed.data;
}

/**
 * The key range a family's prefix covers, [prefix, end), for an indexed range read: the end is the prefix with its
 * last character moved one on (prefixes are ASCII, so code-unit and byte order agree). HearthError for an empty one.
 */
export function familyKeyRange(family: SettingFamily<unknown>): { from: string; to: string } {
  const prefix = family.prefix;
  if (prefix.length === 0) {
    throw new HearthError("INVALID_INPUT", "a setting family needs a key prefix", { subject: "prefix" });
  }
  return { from: prefix, to: `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}` };
}

/** A family's stored values by the rest of their keys, each parsed by the family's schema (non-matching left out). */
export function parseFamily<Value>(family: SettingFamily<Value>, rows: Iterable<{ key: string; value: unknown }>): Map<string, Value> {
  const values = new Map<string, Value>();
  for (const row of rows) {
    if (!row.key.startsWith(family.prefix)) continue;
    const parsed = family.schema.safeParse(row.value);
    if (parsed.success) values.set(row.key.slice(family.prefix.length), parsed.data);
  }
  return values;
}
