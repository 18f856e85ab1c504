/** Plain-text tables (Markdown pipe syntax, so they paste into the README as they are). */

export function printTable(title, columns, rows) {
  const cells = rows.map((row) => columns.map((column) => String(row[column] ?? '')));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((row) => row[i].length)));
  const line = (values) => `| ${values.map((value, i) => value.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\n### ${title}\n`);
  console.log(line(columns));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of cells) console.log(line(row));
}

export const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
export const ratio = (value) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');
export const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** Notes printed under the tables and collected for the summary. */
export function note(text) {
  console.log(`  note: ${text}`);
}
