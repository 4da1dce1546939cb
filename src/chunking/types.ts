/** A passage: the unit of search and citation. Never spans two pages. */
export interface Chunk {
  /** 0-based position in the document, stable for a given version. */
  ordinal: number;
  page: number | null;
  section: string | null;
  /** Headings above this passage, outermost first. */
  headingPath: string[];
  kind: "text" | "table" | "notes";
  text: string;
  /** Character offsets of `text` within its unit's text (`UnitText.text`). */
  start: number;
  end: number;
}

/** The canonical text of one unit (page, slide, sheet or section), as stored for quote checks. */
export interface UnitText {
  /** Position of the unit in the document, 0-based. */
  index: number;
  page: number | null;
  section: string | null;
  text: string;
}
