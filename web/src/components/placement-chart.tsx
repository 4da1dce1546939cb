/**
 * The placement mix per authority as plain CSS bars, each with its figure written beside it, so the chart reads
 * the same to a screen reader as to the eye. Only figures a document states are drawn; the rest are named as not found.
 */
import type { AuthorityComparison } from "../api-types.ts";

const placementFields = [
  { field: "placement_residential_percent", label: "Residential" },
  { field: "placement_fostering_percent", label: "Fostering" },
  { field: "placement_ifa_percent", label: "IFA / external fostering" },
  { field: "placement_kinship_percent", label: "Kinship" },
] as const;

/** "17.1%" or "57.7% (303)" → 17.1; anything else is not a percentage to draw. */
export function percentOf(value: string): number | undefined {
  const match = /^\s*(\d{1,3}(?:\.\d+)?)\s*%/.exec(value);
  const number = match ? Number(match[1]) : Number.NaN;
  return Number.isFinite(number) && number <= 100 ? number : undefined;
}

export function PlacementChart({ comparison }: { comparison: AuthorityComparison }) {
  const groups = comparison.authorities.map((authority) => ({
    name: authority.name,
    bars: placementFields.flatMap(({ field, label }) => {
      const figure = authority.figures.find((candidate) => candidate.field === field && candidate.file !== "");
      const percent = figure ? percentOf(figure.value) : undefined;
      return figure && percent !== undefined ? [{ field, label, percent, value: figure.value, where: `${figure.file}, page ${figure.page ?? "?"}` }] : [];
    }),
  }));
  const drawn = groups.filter((group) => group.bars.length > 0);
  const missing = groups.filter((group) => group.bars.length === 0).map((group) => group.name);
  return (
    <figure className="placement-chart" aria-labelledby="placement-chart-caption">
      <figcaption id="placement-chart-caption">
        Placement mix (% of children in care, as each document states it; shares come from different tables and need not add up to 100).
        {missing.length > 0 && ` Not found for: ${missing.join(", ")}.`}
      </figcaption>
      {drawn.length === 0 ? (
        <p className="not-found">No document in the library states a placement mix.</p>
      ) : (
        drawn.map((group) => (
          <div key={group.name} className="chart-group" role="group" aria-label={`${group.name} placement mix`}>
            <h3>{group.name}</h3>
            <ul>
              {group.bars.map((bar) => (
                <li key={bar.field} className="chart-row" title={bar.where}>
                  <span className="chart-label">{bar.label}</span>
                  <span className="chart-track" aria-hidden="true">
                    <span className="chart-bar" data-field={bar.field} style={{ width: `${bar.percent}%` }} />
                  </span>
                  <span className="chart-value">{bar.value}</span>
                </li>
              ))}
            </ul>
          </div>
        ))
      )}
    </figure>
  );
}
