/** One entry point for session reports in any of the three formats. */
import type { Session } from "../answer/types.ts";
import { HearthError, fail, ok } from "../errors/hearth-error.ts";
import type { Result } from "../errors/hearth-error.ts";
import { renderDocxReport } from "./docx-report.ts";
import { renderMarkdownReport } from "./markdown-report.ts";
import { renderPdfReport } from "./pdf-report.ts";
import type { PdfReportOptions } from "./pdf-report.ts";

export const reportFormats = ["md", "docx", "pdf"] as const;
export type ReportFormat = (typeof reportFormats)[number];

export type RenderReportOptions = PdfReportOptions;

export async function renderReport(session: Session, format: ReportFormat, options: RenderReportOptions = {}): Promise<Buffer> {
  switch (format) {
    case "md":
      return Buffer.from(renderMarkdownReport(session, options), "utf8");
    case "docx":
      return renderDocxReport(session, options);
    case "pdf":
      return renderPdfReport(session, options);
  }
}

/** For the CLI: accepts "md", "markdown", "docx", "pdf" in any case, with or without a leading dot. */
export function parseReportFormat(value: string): Result<ReportFormat> {
  const normalised = value.trim().toLowerCase().replace(/^\./, "");
  const format = normalised === "markdown" ? "md" : normalised;
  if ((reportFormats as readonly string[]).includes(format)) return ok(format as ReportFormat);
  return fail(
    new HearthError("INVALID_INPUT", `report format "${value}": not one of ${reportFormats.join(", ")}`, { subject: "format" }),
  );
}
