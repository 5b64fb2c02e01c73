/**
 * A strict RFC 4180 reader for the reports' CSV exports (quoted cells may hold commas, quotes and
 * newlines: the conversions export carries each path as JSON). Returns the header and the rows as
 * objects keyed by it.
 */
export function parseCsv(text: string): { columns: string[]; rows: Record<string, string>[] } {
  const records: string[][] = [];
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
      continue;
    }
    if (ch === '"' && cell === "") quoted = true;
    else if (ch === ",") {
      record.push(cell);
      cell = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      record.push(cell);
      records.push(record);
      record = [];
      cell = "";
    } else cell += ch;
  }
  if (quoted) throw new Error("CSV ends inside a quoted cell");
  if (cell !== "" || record.length > 0) {
    record.push(cell);
    records.push(record);
  }
  const [columns = [], ...body] = records;
  const rows = body.map((r, n) => {
    if (r.length !== columns.length) throw new Error(`CSV row ${n + 1} has ${r.length} cells, the header ${columns.length}`);
    return Object.fromEntries(columns.map((c, i) => [c, r[i]!]));
  });
  return { columns, rows };
}

/**
 * A text cell as the reports write it: one that a spreadsheet would read as a formula (= + - @, tab,
 * carriage return) starts with an apostrophe (apps/admin/API.md, "CSV"). Random ids can start with "-".
 */
export function csvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
