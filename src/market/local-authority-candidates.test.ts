/**
 * findLocalAuthorities tests only the names whose words stand in a text as whole runs of letters (a lookup, not a
 * pass over the whole list): the names found must be exactly those a test of every name in the list finds.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findLocalAuthorities } from "./local-authority-names.ts";

const list = JSON.parse(readFileSync(new URL("./local-authorities.json", import.meta.url), "utf8")) as { names: string[]; aliases: Record<string, string> };

/** The whole list, every name tested: the behaviour the lookup must keep. */
const entries = [...list.names.map((name) => ({ name, text: name })), ...Object.entries(list.aliases).map(([alias, name]) => ({ name, text: alias }))]
  .sort((left, right) => right.text.length - left.text.length)
  .map((entry) => {
    const body = entry.text
      .split(/[\s-]+/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join("[\\s_-]+");
    return { name: entry.name, pattern: new RegExp(`(?<![\\p{L}])${body}(?![\\p{L}])`, "giu") };
  });

function everyNameTested(text: string): string[] {
  const found: { name: string; at: number; end: number }[] = [];
  for (const entry of entries) {
    for (const match of text.matchAll(entry.pattern)) {
      const at = match.index ?? 0;
      const end = at + match[0].length;
      if (found.some((other) => at < other.end && end > other.at)) continue;
      found.push({ name: entry.name, at, end });
    }
  }
  found.sort((left, right) => left.at - right.at);
  return [...new Set(found.map((entry) => entry.name))];
}

describe("findLocalAuthorities looks up only the names a text can hold", () => {
  const texts = [
    "Nottinghamshire's sufficiency strategy, not Nottingham's",
    "nottingham_city_council-2023 west-sussex WEST SUSSEX west_sussex",
    "Bath and North East Somerset, North Somerset and Somerset",
    "St. Helens and St Helens; Bournemouth, Christchurch and Poole (BCP)",
    "North-East Lincolnshire north east lincolnshire Northumberland",
    "Westsussex Eastsussex Somersets Kentish Kent.",
    "Kingston upon Thames, Kingston upon Hull, City of Hull, Bristol, City of",
    "the local authority",
    "",
    `${"word ".repeat(60)}Blackpool's ILACS and Lancashire's`,
  ];

  it("finds what a test of every name finds, in the same order", () => {
    for (const text of texts) expect(findLocalAuthorities(text), text).toEqual(everyNameTested(text));
  });

  it("finds every name and alias of the list written in any case, hyphenated or underscored", () => {
    const written = [...list.names, ...Object.keys(list.aliases)].flatMap((name) => [
      `about ${name} here`,
      `${name.toUpperCase()}.pdf`,
      `x-${name.replace(/ /g, "_")}-y`,
      `${name.toLowerCase().replace(/ /g, "-")}'s`,
    ]);
    for (const text of written) expect(findLocalAuthorities(text), text).toEqual(everyNameTested(text));
  });
});
