/** PostgreSQL URL helpers without the pg client, for code that only decides where a library is (see open-store.ts). */

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** The URL without its password, for messages and `hearth doctor`. */
export function redactPostgresUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(an unreadable PostgreSQL URL)";
  }
}
