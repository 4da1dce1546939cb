/**
 * The question's shape is read by one extractor in the retrieval layer (src/retrieval/question-shape.ts), shared by
 * the search and the answerer; this module names it for the answer layer's callers.
 */
export type { BriefingKind, DefinedTerm, QuestionShape, QuestionType } from "../retrieval/question-shape.ts";
export { classifyQuestion, definedTerm, shapeFit, singular } from "../retrieval/question-shape.ts";
