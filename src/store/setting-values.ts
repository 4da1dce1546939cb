/**
 * Reading and writing typed settings (`SettingDefinition`), shared by every Store implementation so that they agree:
 * a stored value that no longer matches its schema reads as undefined; an invalid value is refused before it is saved.
 */
import { HearthError } from "../errors/hearth-error.ts";
import type { SettingDefinition } from "./types.ts";

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
