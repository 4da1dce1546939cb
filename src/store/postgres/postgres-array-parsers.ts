/**
 * Faster readers for the arrays a search reads by the thousand (each candidate's stem counts as float8[] and phrase
 * tests as boolean[], each champion list's ids as bigint[] and strengths as float8[]), giving exactly what
 * node-postgres's own parsers give. Those go through `postgres-array`, which walks the text one character at a time
 * and allocates an object per character: at 1M passages about 4 ms of Node's CPU a search, and garbage for the
 * collector. A one-dimensional array of unquoted elements (what PostgreSQL writes for these types) is split on its
 * commas here, each element converted by the same rule as node-postgres's; any other text (quotes, escapes, nesting,
 * bounds, spaces, empty elements) goes to node-postgres's parser, so the values are the same for every input.
 */
import pg from "pg";

type Parser = (text: string) => unknown;

/** The element rules of node-postgres's array parsers (pg-types, lib/textParsers.js), an element at a time. */
const elementRules: Record<number, (element: string) => unknown> = {
  // float8[] (and float4[]): parseFloat.
  1022: (element) => parseFloat(element),
  1021: (element) => parseFloat(element),
  // boolean[]: parseBool.
  1000: (element) => element === "TRUE" || element === "t" || element === "true" || element === "y" || element === "yes" || element === "on" || element === "1",
  // bigint[]: kept as text (parseBigInteger, then trim).
  1016: (element) => element.trim(),
};

/** Characters that make an array's text other than a flat list of bare elements: the general parser reads it. */
const notFlat = /["\\{}\s[\]]/;

function flatArrayParser(oid: number, element: (element: string) => unknown): Parser {
  // Looked up when needed, so a parser set later with pg.types.setTypeParser is still the one that reads these.
  const general: Parser = (text) => (pg.types.getTypeParser(oid, "text") as Parser)(text);
  return (text) => {
    if (text.length < 2 || text.charCodeAt(0) !== 123 || text.charCodeAt(text.length - 1) !== 125) return general(text);
    const inner = text.slice(1, -1);
    if (inner.length === 0) return [];
    if (notFlat.test(inner)) return general(text);
    const parts = inner.split(",");
    const values: unknown[] = new Array(parts.length);
    for (let index = 0; index < parts.length; index++) {
      const part = parts[index]!;
      // An empty element is skipped by the general parser: not a shape PostgreSQL writes, so left to it.
      if (part.length === 0) return general(text);
      values[index] = part === "NULL" ? null : element(part);
    }
    return values;
  };
}

const fast = new Map<number, Parser>(Object.entries(elementRules).map(([oid, element]) => [Number(oid), flatArrayParser(Number(oid), element)]));

/**
 * node-postgres's type parsers with the faster array readers in place: given as a query's `types`, the rows hold the
 * same values as without it.
 */
export const fastArrayTypes = {
  getTypeParser(oid: number, format?: "text" | "binary"): Parser {
    if (format !== "binary") {
      const parser = fast.get(oid);
      if (parser !== undefined) return parser;
    }
    return pg.types.getTypeParser(oid, format ?? "text") as Parser;
  },
};
