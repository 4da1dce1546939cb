/**
 * Copies a whole library from one store to another through the Store contract only (for `hearth migrate`: a SQLite
 * library into PostgreSQL, or one PostgreSQL workspace into another), then verifies the copy: the same documents by
 * content hash with the same passage, unit and table counts, a healthy target, the same sessions with the same
 * exchanges, and equal settings. Ids and ingestion times are the target's own.
 */
import { isDeepStrictEqual } from "node:util";
import * as z from "zod";
import { HearthError, describeError } from "../errors/hearth-error.ts";
import type { DataTableRecord, DocumentRecord, NewDataTable, SettingDefinition, Store } from "./types.ts";

export interface CopyProgress {
  stage: "documents" | "sessions" | "settings" | "verifying";
  done: number;
  total: number;
  /** The document or session just copied. */
  name?: string;
}

export interface CopyReport {
  documents: number;
  units: number;
  passages: number;
  tables: number;
  tableRows: number;
  sessions: number;
  exchanges: number;
  settings: number;
}

/** A setting written as stored: the owning module's schema checks it again when it is read. */
function rawSetting(key: string): SettingDefinition<unknown> {
  return { key, schema: z.unknown() };
}

function tableKey(documentHash: string, table: Pick<DataTableRecord, "unitIndex" | "sheet">): string {
  return `${documentHash}\u0000${table.unitIndex}\u0000${table.sheet ?? ""}`;
}

async function tablesByDocument(store: Store): Promise<Map<number, DataTableRecord[]>> {
  const byDocument = new Map<number, DataTableRecord[]>();
  for (const table of await store.tables.list()) {
    const list = byDocument.get(table.documentId) ?? [];
    list.push(table);
    byDocument.set(table.documentId, list);
  }
  for (const list of byDocument.values()) list.sort((a, b) => a.unitIndex - b.unitIndex || a.id - b.id);
  return byDocument;
}

async function refuseNonEmpty(to: Store): Promise<void> {
  const [documents, sessions, settings] = await Promise.all([to.documents.list(), to.sessions.list(), to.settings.list()]);
  if (documents.length > 0 || sessions.length > 0 || settings.length > 0) {
    throw new HearthError(
      "INVALID_INPUT",
      `${to.location} already holds a library (${documents.length} documents, ${sessions.length} sessions, ${settings.length} settings): copy into an empty one`,
      { subject: to.location },
    );
  }
}

export async function copyLibrary(from: Store, to: Store, onProgress: (progress: CopyProgress) => void = () => {}): Promise<CopyReport> {
  await refuseNonEmpty(to);
  const report: CopyReport = { documents: 0, units: 0, passages: 0, tables: 0, tableRows: 0, sessions: 0, exchanges: 0, settings: 0 };

  const documents = await from.documents.list();
  const sourceTables = await tablesByDocument(from);
  for (const [index, record] of documents.entries()) {
    const units = (await from.documents.unitTexts([record.id])).get(record.id) ?? [];
    const chunks = await from.documents.chunks(record.id);
    const tables: NewDataTable[] = [];
    for (const table of sourceTables.get(record.id) ?? []) {
      const rows = await from.tables.rows(table.id);
      tables.push({ unitIndex: table.unitIndex, sheet: table.sheet, title: table.title, description: table.description, columns: table.columns, rows });
      report.tableRows += rows.length;
    }
    const { fileName, sourcePath, contentHash, format, title, byteSize, warnings } = record;
    try {
      await to.documents.replace({ fileName, sourcePath, contentHash, format, title, byteSize, warnings }, units, chunks, tables);
    } catch (error) {
      throw new HearthError("STORE_FAILED", `${fileName}: could not be copied to ${to.location} (${describeError(error)}); ${index} of ${documents.length} documents were copied`, {
        subject: sourcePath,
        cause: error,
      });
    }
    report.documents += 1;
    report.units += units.length;
    report.passages += chunks.length;
    report.tables += tables.length;
    onProgress({ stage: "documents", done: index + 1, total: documents.length, name: fileName });
  }

  const sessions = await from.sessions.list();
  // Oldest first, so that the target lists them in the same order whatever its ids.
  for (const [index, summary] of [...sessions].reverse().entries()) {
    const session = await from.sessions.get(summary.name);
    for (const exchange of session?.exchanges ?? []) {
      await to.sessions.addExchange(summary.name, exchange);
      report.exchanges += 1;
    }
    report.sessions += 1;
    onProgress({ stage: "sessions", done: index + 1, total: sessions.length, name: summary.name });
  }

  const settings = await from.settings.list();
  for (const [index, setting] of settings.entries()) {
    await to.settings.set(rawSetting(setting.key), setting.value);
    report.settings += 1;
    onProgress({ stage: "settings", done: index + 1, total: settings.length, name: setting.key });
  }

  onProgress({ stage: "verifying", done: 0, total: 1 });
  const problems = await compareLibraries(from, to);
  onProgress({ stage: "verifying", done: 1, total: 1 });
  if (problems.length > 0) {
    throw new HearthError(
      "STORE_FAILED",
      `the copy in ${to.location} differs from ${from.location}: ${problems.slice(0, 10).join("; ")}${problems.length > 10 ? `; and ${problems.length - 10} more` : ""}`,
      { subject: to.location },
    );
  }
  return report;
}

/** What differs between two libraries, compared by content (ids and ingestion times are each store's own). */
export async function compareLibraries(from: Store, to: Store): Promise<string[]> {
  const problems: string[] = [];
  const [sourceDocuments, targetDocuments] = await Promise.all([from.documents.list(), to.documents.list()]);
  if (sourceDocuments.length !== targetDocuments.length) {
    problems.push(`${sourceDocuments.length} documents in the source, ${targetDocuments.length} in the copy`);
  }
  const targetByHash = new Map(targetDocuments.map((record) => [record.contentHash, record]));
  const sourceHashes = new Set(sourceDocuments.map((record) => record.contentHash));
  for (const source of sourceDocuments) {
    const target = targetByHash.get(source.contentHash);
    if (target === undefined) {
      problems.push(`${source.fileName} (content ${source.contentHash.slice(0, 12)}) is missing from the copy`);
      continue;
    }
    for (const field of ["fileName", "sourcePath", "format", "title", "byteSize", "unitCount", "chunkCount"] as const satisfies (keyof DocumentRecord)[]) {
      if (source[field] !== target[field]) problems.push(`${source.fileName}: ${field} ${String(source[field])} in the source, ${String(target[field])} in the copy`);
    }
  }
  for (const target of targetDocuments) {
    if (!sourceHashes.has(target.contentHash)) problems.push(`${target.fileName} is in the copy but not in the source`);
  }

  // The target's own check: every document holds exactly the passages and units it records, counts consistent.
  const integrity = await to.documents.checkIntegrity();
  problems.push(...integrity.problems.map((problem) => `copy: ${problem}`));
  const [sourceStatistics, targetStatistics] = await Promise.all([from.passages.statistics(), to.passages.statistics()]);
  if (sourceStatistics.chunkCount !== targetStatistics.chunkCount) {
    problems.push(`${sourceStatistics.chunkCount} passages in the source, ${targetStatistics.chunkCount} in the copy`);
  }

  const hashOf = (documents: DocumentRecord[]) => new Map(documents.map((record) => [record.id, record.contentHash]));
  const tableCounts = async (store: Store, hashes: Map<number, string>) =>
    new Map((await store.tables.list()).map((table) => [tableKey(hashes.get(table.documentId) ?? "?", table), table.rowCount]));
  const [sourceTables, targetTables] = await Promise.all([tableCounts(from, hashOf(sourceDocuments)), tableCounts(to, hashOf(targetDocuments))]);
  if (!isDeepStrictEqual(sourceTables, targetTables)) problems.push(`data tables differ (${sourceTables.size} in the source, ${targetTables.size} in the copy)`);

  const [sourceSessions, targetSessions] = await Promise.all([from.sessions.list(), to.sessions.list()]);
  const sessionCounts = (list: typeof sourceSessions) => new Map(list.map((summary) => [summary.name, summary.exchangeCount]));
  if (!isDeepStrictEqual(sessionCounts(sourceSessions), sessionCounts(targetSessions))) {
    problems.push(`sessions differ (${sourceSessions.length} with ${sourceSessions.reduce((sum, summary) => sum + summary.exchangeCount, 0)} exchanges in the source, ${targetSessions.length} with ${targetSessions.reduce((sum, summary) => sum + summary.exchangeCount, 0)} in the copy)`);
  }

  const [sourceSettings, targetSettings] = await Promise.all([from.settings.list(), to.settings.list()]);
  const settingMap = (list: typeof sourceSettings) => new Map(list.map((setting) => [setting.key, setting.value]));
  if (!isDeepStrictEqual(settingMap(sourceSettings), settingMap(targetSettings))) {
    const keys = [...new Set([...sourceSettings, ...targetSettings].map((setting) => setting.key))].filter(
      (key) => !isDeepStrictEqual(settingMap(sourceSettings).get(key), settingMap(targetSettings).get(key)),
    );
    problems.push(`settings differ: ${keys.join(", ")}`);
  }
  return problems;
}
