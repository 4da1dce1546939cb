/** What `hearth tag` does once it runs (loaded on demand, so other commands do not load the authority and identity code). */
import { basename } from "node:path";
import { authorityLabels, describeSourceAuthority, parseAuthorityDate, parseAuthorityKind, tagSourceAuthority } from "../authority/source-authority.ts";
import type { AuthorityKind, SourceAuthority } from "../authority/source-authority.ts";
import { HearthError } from "../errors/hearth-error.ts";
import {
  describeDocumentIdentity,
  describeIdentityLine,
  identitySummary,
  parseDocumentDate,
  parseIdentityTag,
  tagDocumentIdentity,
} from "../identity/document-identity.ts";
import type { DocumentIdentity, IdentityTag } from "../identity/document-identity.ts";
import { getProfile } from "../profile/organisation-profile.ts";
import { withStore } from "./open-store.ts";
import type { CommandContext } from "./program.ts";

function describe(fileName: string, authority: SourceAuthority): string {
  const when = authority.period ? `${authority.period.from}-${authority.period.to}` : authority.year !== null ? String(authority.year) : "no date";
  return `${fileName}: ${authorityLabels[authority.kind]}, ${when} (${authority.source})`;
}

export interface TagOptions {
  authority?: string;
  date?: string;
  title?: string;
  author?: string;
  authorKind?: string;
  about?: string;
  json?: boolean;
}

/**
 * `--date` serves both tags: the source authority takes a year or period ("2011-2015"), the identity a day, month
 * or year ("2023-02-01", "1 February 2023"). A value either understands is accepted.
 */
function parseDates(text: string): { authority?: { year: number; period: { from: number; to: number } | null }; identity?: string } {
  const authority = parseAuthorityDate(text);
  const identity = parseDocumentDate(text) ?? (/^\s*(?:19|20)\d{2}\s*$/.test(text) ? text.trim() : null);
  const fromIdentity = identity ? { year: Number(identity.slice(0, 4)), period: null } : undefined;
  if (!authority.ok && !identity) {
    throw new HearthError("INVALID_INPUT", `--date must be a year (2019), a month (2019-06), a day (2019-06-30 or "30 June 2019") or a period (2011-2015), not "${text}"`, {
      subject: "--date",
    });
  }
  const period = authority.ok ? authority.value.period : null;
  return {
    ...(authority.ok ? { authority: authority.value } : fromIdentity ? { authority: fromIdentity } : {}),
    identity: identity ?? (period ? String(period.from) : text.trim()),
  };
}

export async function runTag(context: CommandContext, file: string | undefined, options: TagOptions): Promise<void> {
  const { io } = context;
  let kind: AuthorityKind | undefined;
  if (options.authority !== undefined) {
    const parsed = parseAuthorityKind(options.authority);
    if (!parsed.ok) throw parsed.error;
    kind = parsed.value;
  }
  const dates = options.date !== undefined ? parseDates(options.date) : undefined;
  const identityInput = {
    ...(options.title !== undefined ? { title: options.title } : {}),
    ...(options.author !== undefined ? { author: options.author } : {}),
    ...(options.authorKind !== undefined ? { authorKind: options.authorKind } : {}),
    ...(options.about !== undefined ? { about: options.about } : {}),
    ...(dates?.identity !== undefined ? { date: dates.identity } : {}),
  };
  const rows = await withStore(context.config(), async (store) => {
    const documents = await store.documents.list();
    const describeRow = async (document: (typeof documents)[number]): Promise<{ fileName: string; authority: SourceAuthority; identity: DocumentIdentity }> => ({
      fileName: document.fileName,
      authority: await describeSourceAuthority(store, document),
      identity: await describeDocumentIdentity(store, document),
    });
    if (file === undefined) return Promise.all(documents.map(describeRow));
    const name = basename(file);
    const document = documents.find((candidate) => candidate.fileName === name || candidate.sourcePath === file);
    if (!document) throw new HearthError("NOT_FOUND", `no ingested document called "${name}" (see: hearth list)`, { subject: file });
    let identityTag: IdentityTag | undefined;
    if (Object.keys(identityInput).length > 0) {
      const parsed = parseIdentityTag(identityInput, (await getProfile(store)).name);
      if (!parsed.ok) throw parsed.error;
      identityTag = parsed.value;
    }
    if (kind !== undefined || dates?.authority !== undefined) {
      await tagSourceAuthority(store, document.fileName, {
        ...(kind ? { kind } : {}),
        ...(dates?.authority ? { year: dates.authority.year, period: dates.authority.period } : {}),
      });
    }
    if (identityTag) await tagDocumentIdentity(store, document, identityTag);
    return [await describeRow(document)];
  });
  if (options.json) {
    io.stdout.write(
      `${JSON.stringify({ documents: rows.map((row) => ({ file: row.fileName, ...row.authority, identity: identitySummary(row.identity) })) })}\n`,
    );
    return;
  }
  for (const row of rows) io.stdout.write(`${describe(row.fileName, row.authority)}\n    ${describeIdentityLine(row.identity)}\n`);
  if (rows.some((row) => row.identity.tagged.length < 4)) io.stdout.write('("?" marks a value read from the document, not tagged)\n');
}
