/**
 * Rejoins a sentence that a PDF's layout split over two blocks: a line that does not end a sentence, followed by a
 * block that starts in lower case ("44.—(1) The registered person must ensure that an independent person visits the
 * children's home" + "at least once each month."), is one paragraph. A heading so split was never a heading.
 */
import type { ContentBlock, LoadedDocument } from "./types.ts";

const endsSentence = /[.!?:;)”"’]\s*$/;
/** A continuation starts in lower case, possibly behind an opening bracket or quote: "(“a quality of care review”)". */
const startsLowerCase = /^\s*[(“"‘']*[a-z]/;

function joinBlocks(blocks: ContentBlock[]): ContentBlock[] {
  const joined: ContentBlock[] = [];
  for (const block of blocks) {
    const previous = joined.at(-1);
    if (
      previous &&
      (previous.kind === "paragraph" || previous.kind === "heading") &&
      block.kind === "paragraph" &&
      !endsSentence.test(previous.text) &&
      startsLowerCase.test(block.text)
    ) {
      joined[joined.length - 1] = { kind: "paragraph", text: `${previous.text.trimEnd()} ${block.text.trimStart()}` };
      continue;
    }
    joined.push(block);
  }
  return joined;
}

export function joinContinuations(document: LoadedDocument): LoadedDocument {
  let changed = false;
  const units = document.units.map((unit) => {
    const blocks = joinBlocks(unit.blocks);
    if (blocks.length === unit.blocks.length) return unit;
    changed = true;
    return { ...unit, blocks };
  });
  return changed ? { ...document, units } : document;
}
