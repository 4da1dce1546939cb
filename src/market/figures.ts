/**
 * Pattern-based extraction of the figures a provider wants about a local authority, from page sentences and table
 * rows. Every figure keeps the verbatim sentence or row it came from; a field with no match stays not found —
 * nothing is estimated, summed or carried over from another document.
 */
import { contentStems } from "../retrieval/tokenize.ts";
import type { PagePiece } from "./page-pieces.ts";

export const figureFields = [
  "children_in_care",
  "placement_fostering_percent",
  "placement_residential_percent",
  "placement_ifa_percent",
  "placement_kinship_percent",
  "placement_semi_independent_percent",
  "out_of_area_placements",
  "unaccompanied_asylum_seeking_children",
  "children_with_disability_percent",
  "unit_cost_in_house_residential_weekly",
  "unit_cost_external_residential_weekly",
  "unit_cost_in_house_fostering_weekly",
  "unit_cost_ifa_weekly",
  "average_weekly_cost_per_child",
  "planned_provision",
  "commissioning_intentions",
  "action_plan_leads",
  "childrens_homes",
  "childrens_home_places",
  "childrens_home_ratings",
  "childrens_home_sectors",
  "looked_after_trend",
  "looked_after_rate_trend",
] as const;

export type FigureField = (typeof figureFields)[number];

export const fieldLabels: Record<FigureField, string> = {
  children_in_care: "Children in care",
  placement_fostering_percent: "Placement mix: fostering (%)",
  placement_residential_percent: "Placement mix: residential (%)",
  placement_ifa_percent: "Placement mix: IFA / external fostering (%)",
  placement_kinship_percent: "Placement mix: kinship / family and friends (%)",
  placement_semi_independent_percent: "Placement mix: semi-independent / supported (%)",
  out_of_area_placements: "Out-of-area placements",
  unaccompanied_asylum_seeking_children: "Unaccompanied asylum-seeking children",
  children_with_disability_percent: "Children in care with a disability (%)",
  unit_cost_in_house_residential_weekly: "Weekly unit cost: in-house residential",
  unit_cost_external_residential_weekly: "Weekly unit cost: external residential",
  unit_cost_in_house_fostering_weekly: "Weekly unit cost: in-house fostering",
  unit_cost_ifa_weekly: "Weekly unit cost: IFA / external fostering",
  average_weekly_cost_per_child: "Average weekly cost per child",
  planned_provision: "Planned provision (homes, beds, specialisms)",
  commissioning_intentions: "Commissioning intentions (contracts, frameworks)",
  action_plan_leads: "Action plan: leads and deadlines",
  childrens_homes: "Children's homes (computed from the provider list)",
  childrens_home_places: "Places in children's homes (computed)",
  childrens_home_ratings: "Children's homes by Ofsted rating (computed)",
  childrens_home_sectors: "Children's homes by sector (computed)",
  looked_after_trend: "Children looked after: trend (computed)",
  looked_after_rate_trend: "Children looked after per 10,000: trend (computed)",
};

/** Fields holding one figure per document; the others are lists of statements. */
const listFields: ReadonlySet<FigureField> = new Set(["planned_provision", "commissioning_intentions", "action_plan_leads"]);

export function isListField(field: FigureField): boolean {
  return listFields.has(field);
}

export interface ExtractedFigure {
  field: FigureField;
  value: string;
  date: string | null;
  page: number | null;
  /** The sentence or row line, verbatim from the page. */
  quote: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const month = "(?:January|February|March|April|May|June|July|August|September|October|November|December)";
const shortMonth = "(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)";
const datePatterns: RegExp[] = [
  new RegExp(`\\b\\d{1,2}(?:st|nd|rd|th)?\\s+${month}\\s+\\d{4}\\b`, "i"),
  new RegExp(`\\b${month}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, "i"),
  new RegExp(`\\b(?:${month}|${shortMonth})\\.?\\s+\\d{4}\\b`, "i"),
  /\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/,
  /\b(?:19|20)\d{2}\/\d{2}\b/,
  /\b(?:19|20)\d{2}\b/,
];

/** The first whole date (day, month and year) in a text, as written ("7 March 2023"), or null. */
export function findFullDate(text: string): string | null {
  for (const pattern of datePatterns.slice(0, 2)) {
    const match = text.match(pattern);
    if (match) return match[0].replace(/\s+/g, " ");
  }
  return null;
}

/** The first date in a text, as written ("July 31st 2022", "2010/11", "31/3/2010"), or null. */
export function findDate(text: string): string | null {
  for (const pattern of datePatterns) {
    const match = text.match(pattern);
    if (match) return match[0].replace(/\s+/g, " ");
  }
  return null;
}

// ---------------------------------------------------------------------------------------------------------------
// Children in care

const countNumber = "(\\d{1,3}(?:,\\d{3})+|\\d{2,6})";
const hedge = "((?:around|approximately|about|over|nearly|almost|some|circa|c\\.)\\s+)?";
const childrenCountPatterns: RegExp[] = [
  new RegExp(
    `\\b(?:of our|there (?:are|were)|we (?:have|had|now have|look after|looked after|care for)|total of|has|had|(?:is|are|was|were) (?:currently |now )?(?:caring for|looking after|responsible for))\\s+${hedge}${countNumber}\\s+(?:children|young people|CLA|LAC|CiC|looked[- ]after children)\\b`,
    "i",
  ),
  new RegExp(
    `\\bnumber of (?:looked[- ]after children|children (?:in care|looked after)|CLA|LAC|CiC)\\b[^.]{0,140}?\\b(?:to|was|is|stood at|of)\\s+${hedge}${countNumber}\\b(?!\\s*%)`,
    "i",
  ),
  new RegExp(`\\b${hedge}${countNumber}\\s+(?:children (?:in care|looked after)|looked[- ]after children)\\b`, "i"),
];
const careContext = /looked[- ]after|\bin care\b|\bcare\b|\bcaring for\b|\bCLA\b|\bLAC\b|\bCiC\b/i;
const otherPopulation = /\b(child(ren)? in need|child protection|care leavers?|adopt|asylum|UASC|per 10,?000|rate of)\b/i;
/** Children other authorities placed in this one ("over 1,200 children in care who live in Kent who were placed from elsewhere"). */
const placedByOthers = /\bplaced (?:here |in \w+ )?(?:from elsewhere|from other|by other)|\bother (?:local )?authorities['’]? (?:children|looked)/i;

function isYear(text: string): boolean {
  return /^(19|20)\d{2}$/.test(text);
}

function childrenInCare(piece: PagePiece): ExtractedFigure[] {
  if (piece.isRow || !careContext.test(piece.text)) return [];
  for (const pattern of childrenCountPatterns) {
    const match = piece.text.match(pattern);
    if (!match) continue;
    const number = match[2] ?? "";
    if (isYear(number)) continue;
    // "42 Unaccompanied Asylum Seeking Children", "children in need": another population, unless the count sits
    // before the word.
    const around = piece.text.slice(Math.max(0, (match.index ?? 0) - 10), (match.index ?? 0) + match[0].length + 25);
    if (otherPopulation.test(around) || placedByOthers.test(piece.text)) continue;
    const value = `${(match[1] ?? "").trim()} ${number}`.trim();
    return [{ field: "children_in_care", value, date: findDate(piece.text), page: piece.page, quote: piece.text }];
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------------
// Percentages: placement mix, out of area, disability

const percentPattern = /(\d{1,3}(?:\.\d+)?)\s?%/g;
const changeWords = /\b(increas\w*|decreas\w*|ris(e|en|ing)|fell|fall\w*|drop\w*|reduc\w*|growth|grew|target|aspir\w*|by over|up by|down by)\b/i;

type PercentKind = Extract<
  FigureField,
  | "placement_fostering_percent"
  | "placement_residential_percent"
  | "placement_ifa_percent"
  | "placement_kinship_percent"
  | "placement_semi_independent_percent"
  | "out_of_area_placements"
  | "children_with_disability_percent"
>;

const percentRules: { field: PercentKind; pattern: RegExp }[] = [
  {
    field: "out_of_area_placements",
    pattern: /\boutside (the )?(county|authority|area|local authority|boundary|[A-Z0-9]{2,} footprint)|\bout of (area|county|authority)\b|\bOLA\b|other local authorit|\bat a distance\b|\bmore than 20 miles\b/i,
  },
  { field: "children_with_disability_percent", pattern: /\bdisabilit(y|ies)\b|\bdisabled\b/i },
  { field: "placement_kinship_percent", pattern: /\brelatives?\b|\bfriends?\b|\bkinship\b|\bconnected persons?\b/i },
  {
    field: "placement_ifa_percent",
    pattern: /\bIFAs?\b|\bindependent fost\w*|\bexternal(ly)?\b[^,;.]{0,25}\bfost\w*|\bfost\w* placements? that are external|\bagency fost\w*/i,
  },
  {
    field: "placement_semi_independent_percent",
    pattern: /\bsemi[- ]?independent|\bsupported (accommodation|lodgings|living|housing)|\bindependent living\b|\bhostels?\b/i,
  },
  { field: "placement_residential_percent", pattern: /\bresidential(?! (school|employment|special school))\b|\bchildren['’]s homes?\b/i },
  { field: "placement_fostering_percent", pattern: /\bfost(er|ered|ering)\b/i },
];

/** Clause boundaries around a percentage: commas, semicolons, "and" before the next figure, full stops. */
function clauseAround(text: string, at: number, length: number): { before: string; after: string } {
  const beforeText = text.slice(0, at);
  const afterText = text.slice(at + length);
  const beforeStart = Math.max(beforeText.lastIndexOf(","), beforeText.lastIndexOf(";"), beforeText.lastIndexOf(")"), beforeText.lastIndexOf("."));
  const afterMatch = afterText.match(/[,;.]|\band\s+\d|\(\d/);
  return {
    before: beforeText.slice(beforeStart + 1),
    after: afterMatch ? afterText.slice(0, afterMatch.index) : afterText,
  };
}

function classifyPercent(description: string): PercentKind | undefined {
  for (const rule of percentRules) if (rule.pattern.test(description)) return rule.field;
  return undefined;
}

function percentagesFromSentence(piece: PagePiece): ExtractedFigure[] {
  const figures: ExtractedFigure[] = [];
  const date = findDate(piece.text);
  for (const match of piece.text.matchAll(percentPattern)) {
    const at = match.index ?? 0;
    const { before, after } = clauseAround(piece.text, at, match[0].length);
    if (changeWords.test(`${before} ${after}`)) continue;
    // "55.2% are in unrelated foster care": the words after the figure describe it; "placed with foster carers
    // (72% in 2007/08)": the words before do.
    // Only the words next to the figure describe it: a clause may run on to other groups.
    const near = after.slice(0, 70);
    const ofPopulation = /^\s*of (our |the |all )?(total )?(care population|looked[- ]after|children in care|children looked after|CLA|LAC)\b/i.test(after);
    const afterKind =
      !ofPopulation && /^\s*(of [^,;]{0,60}?)?(are|were|is|was|live|lived|living|placed|in|with|fostered|of)\b/i.test(after) ? classifyPercent(near) : undefined;
    const beforeKind = /\(\s*$/.test(piece.text.slice(0, at)) || ofPopulation ? classifyPercent(before) : undefined;
    const kind = afterKind ?? beforeKind;
    if (!kind) continue;
    if (kind === "children_with_disability_percent" && !careContext.test(piece.text) && !/care population|our young people|of all our/i.test(piece.text)) continue;
    figures.push({ field: kind, value: match[0].replace(/\s/g, ""), date, page: piece.page, quote: piece.text });
  }
  return figures;
}

function percentagesFromRow(piece: PagePiece): ExtractedFigure[] {
  const label = piece.cells[0] ?? "";
  if (!/^(%|percentage|proportion|number)\b/i.test(label) && !/^%/.test(label)) return [];
  if (changeWords.test(label) || /care plan recommends/i.test(label)) return [];
  const kind = classifyPercent(label);
  if (!kind) return [];
  const percentCell = piece.cells.slice(1).find((cell) => /^\d{1,3}(\.\d+)?\s?%$/.test(cell));
  if (!percentCell) return [];
  const countCell = piece.cells.slice(1).find((cell) => /^\d[\d,]*$/.test(cell));
  const headerText = [...(piece.header ?? []), piece.caption ?? ""].join(" ");
  const value = countCell && /number/i.test(headerText) ? `${percentCell} (${countCell})` : percentCell;
  return [{ field: kind, value, date: findDate(headerText), page: piece.page, quote: piece.text }];
}

function unaccompanied(piece: PagePiece): ExtractedFigure[] {
  if (piece.isRow) return [];
  const match = piece.text.match(/\b(\d[\d,]*)\s+(?:unaccompanied asylum[- ]seeking (?:children|young people)|UASC)\b(\s*\(\d{1,3}(?:\.\d+)?%\))?/i);
  if (!match || isYear(match[1] ?? "")) return [];
  const value = `${match[1]}${match[2] ? ` ${match[2].trim()}` : ""}`;
  return [{ field: "unaccompanied_asylum_seeking_children", value, date: findDate(piece.text), page: piece.page, quote: piece.text }];
}

// ---------------------------------------------------------------------------------------------------------------
// Weekly unit costs

type CostKind = Extract<
  FigureField,
  "unit_cost_in_house_residential_weekly" | "unit_cost_external_residential_weekly" | "unit_cost_in_house_fostering_weekly" | "unit_cost_ifa_weekly"
>;

const inHouse = /\b(in[- ]house|internal|own|council|LA[- ]run|local authority)\b/i;
const external = /\b(external|independent|private|agency|purchased|IFA|commissioned|OLA)\b/i;

function classifyCost(label: string): CostKind | undefined {
  const residential = /\bresidential\b|\bchildren['’]s homes?\b/i.test(label);
  const fostering = /\bfost\w*|\bIFA\b/i.test(label);
  if (residential === fostering) return undefined;
  if (fostering && /\bIFA\b|\bindependent fost/i.test(label)) return "unit_cost_ifa_weekly";
  if (external.test(label)) return residential ? "unit_cost_external_residential_weekly" : "unit_cost_ifa_weekly";
  if (inHouse.test(label)) return residential ? "unit_cost_in_house_residential_weekly" : "unit_cost_in_house_fostering_weekly";
  return undefined;
}

const moneyPattern = /£\s?\d[\d,]*(?:\.\d{2})?/;

function costsFromRow(piece: PagePiece): ExtractedFigure[] {
  const headerText = [...(piece.header ?? []), piece.caption ?? ""].join(" ");
  if (!/\bweek/i.test(`${piece.text} ${headerText}`) && !/unit cost/i.test(headerText)) return [];
  if (/\b(year|annual|per annum)\b/i.test(`${piece.text} ${headerText}`) && !/\bweek/i.test(`${piece.text} ${headerText}`)) return [];
  const kind = classifyCost(piece.cells[0] ?? "");
  if (!kind) return [];
  // The first money cell: the LA's own column comes before comparators ("Average Unit Cost").
  const cell = piece.cells.slice(1).find((candidate) => moneyPattern.test(candidate));
  const money = cell?.match(moneyPattern)?.[0];
  if (!money) return [];
  return [{ field: kind, value: money.replace(/\s/g, ""), date: findDate(headerText), page: piece.page, quote: piece.text }];
}

function costsFromSentence(piece: PagePiece): ExtractedFigure[] {
  if (!/\b(per week|a week|weekly|each week)\b/i.test(piece.text)) return [];
  const match = piece.text.match(moneyPattern);
  if (!match) return [];
  const before = piece.text.slice(0, match.index ?? 0);
  const date = findDate(piece.text);
  if (/\baverage\b/i.test(before) && /\bper child\b|\bplacements?\b/i.test(before) && !classifyCost(before)) {
    return [{ field: "average_weekly_cost_per_child", value: match[0].replace(/\s/g, ""), date, page: piece.page, quote: piece.text }];
  }
  const kind = classifyCost(before);
  return kind ? [{ field: kind, value: match[0].replace(/\s/g, ""), date, page: piece.page, quote: piece.text }] : [];
}

// ---------------------------------------------------------------------------------------------------------------
// Statements: planned provision, commissioning intentions, action plan leads

const numberText = "(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty(?:[- ]\\w+)?|thirty|forty|fifty(?:[- ]\\w+)?|several)";
/** A count of homes, beds or places: "two further two-bedded homes", "6 to 8 residential places", "a 4-bedded ... home". */
const provisionCount = new RegExp(
  `\\b${numberText}\\b(?:[- ][\\w'’]+){0,4}?[- ](?:homes?|beds?|placements?|places|properties|houses|flats)\\b|\\b${numberText}[- ]bed(?:ded|room)?\\b`,
  "i",
);
const planWords = /\b(will|plans?|planned|aim\w*|intend\w*|propos\w*|new|further|additional|develop\w*|establish\w*|open\w*|creat\w*|introduc\w*|purchas\w*|expan\w*|increas\w*|build\w*|re-?target\w*|become|block contract|commission\w*|exchanged|offers? accepted|up to)\b/i;

function tidy(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function plannedProvision(piece: PagePiece): ExtractedFigure[] {
  const text = piece.isRow ? (piece.cells[0] ?? "") : piece.text;
  if (piece.isRow && piece.header === null) return [];
  if (text.length < 20 || text.length > 420) return [];
  const count = text.match(provisionCount)?.[0] ?? "";
  if (count.length === 0 || /per ?cent|%/i.test(count) || !planWords.test(text)) return [];
  return [{ field: "planned_provision", value: tidy(text), date: findDate(piece.isRow ? piece.text : text), page: piece.page, quote: piece.text }];
}

const commissioningPattern = /\bblock[- ]contract\w*|\bframeworks?\b|\btender\w*|\bre-?commission\w*|\bcommissioning intentions?\b|\bre-?let\b|\bdynamic purchasing\b|\b\d+[- ]year contract|\bcontract(s|ual)? (term|is due|will|for)\b|\bprocure\w*/i;

function commissioningIntentions(piece: PagePiece): ExtractedFigure[] {
  const text = piece.isRow ? (piece.cells[0] ?? "") : piece.text;
  if (piece.isRow && piece.header === null) return [];
  // A slide's bullet ("10 year contract") is short but says enough when it names a contract's length or kind.
  const minimum = /\b\d+[- ]year contract|\bblock[- ]contract/i.test(text) ? 12 : 25;
  if (text.length < minimum || text.length > 600 || !commissioningPattern.test(text)) return [];
  // Something a provider can act on: a date, a duration, or a concrete contract.
  if (!/\b(19|20)\d{2}\b|\b\d+[- ]year\b|\bblock[- ]contract|\bframework\b|\btender/i.test(text)) return [];
  // "Framework" in the commissioning sense: a contract or provider framework, not a practice or inspection one.
  if (!/\bblock[- ]contract|\btender|\bre-?commission|\b\d+[- ]year contract|\bre-?let\b/i.test(text)) {
    if (!/\b(contract\w*|provider|providers|IFAs?|fostering agenc\w*|residential|placements?|market)\b/i.test(text)) return [];
    if (/\b(assessment|performance|evaluation|permanen\w*|inspection|ILACS|national|legal|statutory|management|outcomes?|quality|practice|policy|service)\s+framework/i.test(text)) return [];
  }
  return [{ field: "commissioning_intentions", value: tidy(text), date: findDate(text), page: piece.page, quote: piece.text }];
}

function actionPlanLeads(piece: PagePiece): ExtractedFigure[] {
  if (!piece.isRow || !piece.header) return [];
  const header = piece.header.map((cell) => cell.toLowerCase());
  const whoIndex = header.findIndex((cell) => /^(who|lead|leads|lead officer|owner|responsib\w*)\b/.test(cell));
  const whenIndex = header.findIndex((cell) => /^(when|due|due by|by when|deadline|timescale|date|target date)\b/.test(cell));
  if (whoIndex < 0 || whenIndex < 0) return [];
  const who = piece.cells[whoIndex] ?? "";
  const when = piece.cells[whenIndex] ?? "";
  const outcome = piece.cells[0] ?? "";
  if (who.length === 0 || outcome.length === 0 || outcome.toLowerCase() === header[0]) return [];
  const value = `${outcome} — ${who}`;
  return [{ field: "action_plan_leads", value: tidy(value), date: when ? tidy(when) : null, page: piece.page, quote: piece.text }];
}

// ---------------------------------------------------------------------------------------------------------------

const maxStatements = 10;

/** Every figure in a document's pieces: one per scalar field (its first mention), a few statements per list field. */
export function extractFigures(pieces: PagePiece[]): ExtractedFigure[] {
  const found: ExtractedFigure[] = [];
  const has = new Set<FigureField>();
  const statementStems = new Map<FigureField, string[][]>();
  for (const piece of pieces) {
    const candidates = piece.isRow
      ? [...percentagesFromRow(piece), ...costsFromRow(piece), ...plannedProvision(piece), ...commissioningIntentions(piece), ...actionPlanLeads(piece)]
      : [
          ...childrenInCare(piece),
          ...percentagesFromSentence(piece),
          ...unaccompanied(piece),
          ...costsFromSentence(piece),
          ...plannedProvision(piece),
          ...commissioningIntentions(piece),
        ];
    for (const figure of candidates) {
      if (!isListField(figure.field)) {
        if (has.has(figure.field)) continue;
        has.add(figure.field);
        found.push(figure);
        continue;
      }
      const seen = statementStems.get(figure.field) ?? [];
      const actionPlan = figure.field === "action_plan_leads";
      if (seen.length >= (actionPlan ? maxStatements * 3 : maxStatements)) continue;
      const stemsOfValue = contentStems(figure.value);
      // Action plan rows share words by nature ("Review ... D2N2"); only near-copies are dropped there.
      const duplicate = seen.some((other) => overlap(other, stemsOfValue) > (actionPlan ? 0.9 : 0.6));
      if (duplicate) continue;
      seen.push(stemsOfValue);
      statementStems.set(figure.field, seen);
      found.push(figure);
    }
  }
  return found;
}

function overlap(left: string[], right: string[]): number {
  if (left.length === 0 || right.length === 0) return 0;
  const set = new Set(left);
  const shared = right.filter((word) => set.has(word)).length;
  return shared / Math.min(left.length, right.length);
}

/**
 * The table's own label for a figure read from a row ("% of OLA placements that are outside the D2N2 footprint"),
 * when it says more than the field's name ("Out-of-area placements"): the field names what was looked for, the
 * label what the table measured, so a figure is never shown under a wider name than its table gives it. Null for a
 * figure from a sentence (its quote says it) or a label that holds the field's subject ("External Residential
 * Children's Homes" for "Weekly unit cost: external residential").
 */
export function tableLabel(field: FigureField, quote: string): string | null {
  if (!quote.includes(" | ") || quote.includes("\n")) return null;
  const label = (quote.split(" | ")[0] ?? "").replace(/\s+/g, " ").trim();
  if (!/\p{L}/u.test(label)) return null;
  // The field's subject ("external residential" of "Weekly unit cost: external residential"): a label holding all
  // of it names the same thing, in the table's words.
  const subject = contentStems((fieldLabels[field].split(":").at(-1) ?? "").replace(/\([^)]*\)/g, " "));
  const held = new Set(contentStems(label));
  return subject.every((stem) => held.has(stem)) ? null : label;
}
