/**
 * A count in a table cell: "How many children in care were aged 12 to 15?" is answered by the cell under the
 * "12 to 15" column of the row of counts, not by the row of percentages beside it; a question asking for a share
 * prefers the percentage.
 */
import { describe, expect, it } from "vitest";
import { loadDefaultGlossary } from "../retrieval/glossary.ts";
import { analyseQuery } from "../retrieval/query.ts";
import { askedCell, cellFit, loadAnswerWeights } from "./extractive-answerer.ts";
import type { Piece } from "./extractive-answerer.ts";
import { classifyQuestion } from "./question-type.ts";

const header = " | 0-3 | 4 to 6 | 7 to 11 | 12 to 15 | 16-17";
const row = (quote: string): Piece => ({ quote, display: quote, isRow: true, header });
const conceptsOf = (question: string) => analyseQuery(question, loadDefaultGlossary()).concepts.map((concept) => ({ concept, weight: 1 }));
const fits = loadAnswerWeights().scoring.askedCell;

describe("the cell under the column a question names", () => {
  const counts = row("Cohort Size | 148 | 84 | 178 | 296 | 259");
  const shares = row("% of total population of children in care | 15.4% | 7.9% | 18.5% | 30.70% | 26.90%");

  it("is read with its row and column labels", () => {
    expect(askedCell(counts, conceptsOf("How many children in care were aged 12 to 15 in March 2022?"))).toEqual({
      label: "Cohort Size",
      column: "12 to 15",
      value: "296",
    });
  });

  it("fits a count question when it holds a count, and less when it holds a percentage", () => {
    const question = "How many children in care were aged 12 to 15 in March 2022?";
    const shape = classifyQuestion(question);
    const count = askedCell(counts, conceptsOf(question));
    const share = askedCell(shares, conceptsOf(question));
    expect(cellFit(count!.value, shape, fits)).toBeGreaterThan(cellFit(share!.value, shape, fits));
  });

  it("fits a percentage question when it holds a percentage", () => {
    const question = "What percentage of children in care were aged 12 to 15?";
    const shape = classifyQuestion(question);
    expect(cellFit(askedCell(shares, conceptsOf(question))!.value, shape, fits)).toBeGreaterThan(cellFit(askedCell(counts, conceptsOf(question))!.value, shape, fits));
  });

  it("is none when the question names no column, or the row does not line up with its header", () => {
    expect(askedCell(counts, conceptsOf("How many children are in care?"))).toBeNull();
    expect(askedCell(row("Cohort Size | 148 | 84"), conceptsOf("How many were aged 12 to 15?"))).toBeNull();
  });
});
