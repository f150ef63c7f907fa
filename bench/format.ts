/** Formatting shared by the benchmark reports. */

export const rate = (value: number) =>
  Math.round(value).toLocaleString('en-US');
export const times = (ratio: number) => `${ratio.toFixed(2)}×`;
export const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** Columns padded to their widest cell: the first left, the others right. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) =>
    Math.max(...rows.map((row) => row[i]!.length)),
  );
  return rows
    .map((row) =>
      row
        .map((cell, i) =>
          i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!),
        )
        .join('   '),
    )
    .join('\n');
}

export function verdict(met: boolean): string {
  return met ? 'met' : 'NOT met';
}

/** One line of JSON, numbers rounded to three decimals. */
export function jsonLine(
  figures: Readonly<Record<string, number | boolean>>,
): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(figures).map(([name, value]) => [
        name,
        typeof value === 'number' ? Math.round(value * 1000) / 1000 : value,
      ]),
    ),
  );
}
