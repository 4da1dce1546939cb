/** Typed data-set tables (CSV files, XLSX sheets) in PostgreSQL: columns as JSON, one row per record in file order. */
import { HearthError, describeError } from "../../errors/hearth-error.ts";
import type { DataTableRecord, NewDataTable, TableStore } from "../types.ts";
import { asId, dataTableSelect, storable, toDataTable, type Bigint, type DataTableRow } from "./postgres-rows.ts";
import { moveLibraryVersion } from "./postgres-version.ts";
import type { WorkspaceQueries } from "./workspace-queries.ts";

const rowBatchSize = 2_000;

/** Writes a document's tables inside the caller's transaction. */
export async function insertDataTables(queries: WorkspaceQueries, documentId: number, tables: NewDataTable[]): Promise<void> {
  for (const table of tables) {
    const inserted = await queries.query<{ id: Bigint }>(
      `INSERT INTO library_data_tables (workspace_id, document_id, unit_index, sheet, title, description, columns, row_count)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8) RETURNING id`,
      [
        documentId,
        table.unitIndex,
        table.sheet === null ? null : storable(table.sheet),
        table.title === null ? null : storable(table.title),
        storable(table.description),
        JSON.stringify(table.columns.map((column) => ({ ...column, name: storable(column.name) }))),
        table.rows.length,
      ],
    );
    const tableId = Number(inserted.rows[0]!.id);
    for (let start = 0; start < table.rows.length; start += rowBatchSize) {
      const batch = table.rows.slice(start, start + rowBatchSize);
      await queries.query(
        `INSERT INTO library_data_rows (workspace_id, table_id, idx, cells)
         SELECT $1, $2, t.idx, t.cells::jsonb FROM unnest($3::integer[], $4::text[]) AS t(idx, cells)`,
        [tableId, batch.map((_, index) => start + index), batch.map((row) => JSON.stringify(row.map(storable)))],
      );
    }
  }
}

export class PostgresTables implements TableStore {
  readonly #queries: WorkspaceQueries;

  constructor(queries: WorkspaceQueries) {
    this.#queries = queries;
  }

  async replace(documentId: number, tables: NewDataTable[]): Promise<DataTableRecord[]> {
    const id = asId(documentId);
    try {
      await this.#queries.transaction(async (queries) => {
        const document = id === null ? { rows: [] } : await queries.query("SELECT id FROM library_documents WHERE workspace_id = $1 AND id = $2 FOR UPDATE", [id]);
        if (id === null || document.rows.length === 0) {
          throw new HearthError("NOT_FOUND", `document ${documentId} is not in the library`, { subject: String(documentId) });
        }
        await queries.query("DELETE FROM library_data_tables WHERE workspace_id = $1 AND document_id = $2", [id]);
        await insertDataTables(queries, id, tables);
        await moveLibraryVersion(queries);
      });
    } catch (error) {
      if (error instanceof HearthError) throw error;
      throw new HearthError("STORE_FAILED", `document ${documentId}: could not save its tables (${describeError(error)})`, {
        subject: String(documentId),
        cause: error,
      });
    }
    const result = await this.#queries.query<DataTableRow>(`${dataTableSelect} WHERE t.workspace_id = $1 AND t.document_id = $2 ORDER BY t.unit_index, t.id`, [id]);
    return result.rows.map(toDataTable);
  }

  async list(): Promise<DataTableRecord[]> {
    const result = await this.#queries.query<DataTableRow>(
      `${dataTableSelect} WHERE t.workspace_id = $1 ORDER BY lower(d.file_name) COLLATE "C", t.unit_index, t.id`,
    );
    return result.rows.map(toDataTable);
  }

  async get(tableId: number): Promise<DataTableRecord | undefined> {
    const id = asId(tableId);
    if (id === null) return undefined;
    const result = await this.#queries.query<DataTableRow>(`${dataTableSelect} WHERE t.workspace_id = $1 AND t.id = $2`, [id]);
    const row = result.rows[0];
    return row === undefined ? undefined : toDataTable(row);
  }

  async rows(tableId: number): Promise<string[][]> {
    const id = asId(tableId);
    if (id === null) return [];
    const result = await this.#queries.query<{ cells: string[] }>(
      "SELECT cells FROM library_data_rows WHERE workspace_id = $1 AND table_id = $2 ORDER BY idx",
      [id],
    );
    return result.rows.map((row) => row.cells);
  }
}
