/**
 * A small RFC 4180 CSV reader: comma-separated, fields optionally in double quotes, `""` for a quote inside a quoted
 * field, quoted fields may hold commas and line breaks, lines end in LF or CRLF.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../core/errors.js";

/**
 * Splits CSV text into rows of fields.
 *
 * @param text - The whole file.
 * @returns The rows, header included, without interpretation of the values.
 * @throws {@link InvalidArgument} on a quote that is never closed or a quoted field followed by other text.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let index = 0;
  let line = 1;
  const endField = () => {
    row.push(field);
    field = "";
  };
  const endRow = () => {
    endField();
    rows.push(row);
    row = [];
    line++;
  };
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"' && field === "") {
      // A quoted field runs to the next quote that is not doubled.
      const start = line;
      index++;
      for (;;) {
        if (index >= text.length) throw new InvalidArgument(`CSV line ${start}`, "has a quote that is never closed");
        const inner = text[index]!;
        if (inner === '"') {
          if (text[index + 1] === '"') {
            field += '"';
            index += 2;
            continue;
          }
          index++;
          break;
        }
        if (inner === "\n") line++;
        field += inner;
        index++;
      }
      const next = text[index];
      if (next !== undefined && next !== "," && next !== "\n" && next !== "\r") {
        throw new InvalidArgument(`CSV line ${line}`, "has text after a closing quote");
      }
      continue;
    }
    if (char === ",") endField();
    else if (char === "\n") endRow();
    else if (char !== "\r" || text[index + 1] !== "\n") field += char;
    index++;
  }
  if (field !== "" || row.length > 0) endRow();
  return rows;
}
