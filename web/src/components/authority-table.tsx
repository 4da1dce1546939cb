/**
 * The same figures across local authorities: one row per figure, one column per authority. Each figure opens the
 * page it was read from; a figure no document states is shown as "not found", never estimated.
 */
import type { AuthorityComparison, AuthorityFigure, Citation } from "../api-types.ts";
import { placeLabel } from "../format.ts";

interface AuthorityTableProps {
  comparison: AuthorityComparison;
  onOpen(citation: Citation): void;
}

/** Statements (planned provision, action plans) are long: the first shows, the rest fold away. */
const shownPerCell = { figure: 3, statement: 1 };

function formatOf(file: string): string | undefined {
  return /\.pptx$/i.test(file) ? "pptx" : /\.xlsx$/i.test(file) ? "xlsx" : undefined;
}

export function figureCitation(figure: AuthorityFigure, n: number): Citation {
  return { n, file: figure.file, page: figure.page, section: null, quote: figure.quote };
}

interface FigureEntryProps {
  figure: AuthorityFigure;
  label: string;
  authority: string;
  n: number;
  statement: boolean;
  onOpen(citation: Citation): void;
}

function FigureEntry({ figure, label, authority, n, statement, onOpen }: FigureEntryProps) {
  const place = placeLabel(formatOf(figure.file), figure.page, null);
  const where = `${figure.file}, ${place.toLowerCase()}`;
  return (
    <li>
      <button
        type="button"
        className={statement ? "figure-link statement" : "figure-link"}
        aria-label={`${figure.value}, ${label}, ${authority}: open ${where}`}
        title={`${where}: “${figure.quote.replace(/\s+/g, " ").trim()}”`}
        onClick={() => onOpen(figureCitation(figure, n))}
      >
        {figure.value}
      </button>
      {figure.date && <span className="meta"> ({figure.date})</span>}
      <span className="meta figure-source"> · {place}</span>
    </li>
  );
}

export function AuthorityTable({ comparison, onOpen }: AuthorityTableProps) {
  const { authorities, fields } = comparison;
  // Each found figure gets a number, shown as the viewer's source number.
  let counter = 0;
  return (
    <div className="table-scroll authority-table" tabIndex={0} aria-labelledby="authority-table-caption">
      <table>
        <caption id="authority-table-caption">
          Figures stated in each authority's documents, with the page each comes from. “Not found” means no document in the library states it.
        </caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            {authorities.map((authority) => (
              <th scope="col" key={authority.name}>
                {authority.name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {fields.map(({ field, label, list }) => (
            <tr key={field} data-field={field}>
              <th scope="row">{label}</th>
              {authorities.map((authority) => {
                const found = authority.figures.filter((figure) => figure.field === field && figure.file !== "");
                if (found.length === 0) {
                  return (
                    <td key={authority.name} className="not-found" data-authority={authority.name}>
                      not found
                    </td>
                  );
                }
                const entries = found.map((figure) => {
                  counter += 1;
                  return (
                    <FigureEntry
                      key={`${figure.file}-${figure.page}-${counter}`}
                      figure={figure}
                      label={label}
                      authority={authority.name}
                      n={counter}
                      statement={list}
                      onOpen={onOpen}
                    />
                  );
                });
                const shown = list ? shownPerCell.statement : shownPerCell.figure;
                return (
                  <td key={authority.name} data-authority={authority.name}>
                    <ul className="figures">{entries.slice(0, shown)}</ul>
                    {entries.length > shown && (
                      <details>
                        <summary>{entries.length - shown} more</summary>
                        <ul className="figures">{entries.slice(shown)}</ul>
                      </details>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
