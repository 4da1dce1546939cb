/** Upload file names: only the last path segment survives, without control characters or a leading dot. */
import { extname } from "node:path";

const maximumLength = 180;

export function sanitiseFileName(raw: string): string {
  const lastSegment = raw.replace(/\\/g, "/").split("/").pop() ?? "";
  let name = lastSegment
    .normalize("NFC")
    .replace(/\p{Cc}/gu, "")
    .replace(/[<>:"|?*]/g, "")
    .trim()
    .replace(/^[.\s]+/, "");
  if (name.length > maximumLength) {
    const extension = extname(name).slice(0, 16);
    name = name.slice(0, maximumLength - extension.length) + extension;
  }
  return name.length > 0 ? name : "upload";
}

/** `name`, or `name (2).ext` and so on when it is already taken. */
export function uniqueFileName(name: string, taken: Set<string>): string {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  let candidate = name;
  for (let count = 2; taken.has(candidate.toLowerCase()); count++) candidate = `${stem} (${count})${extension}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}
