import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../packages/core/src';
import { BROKER_ERROR_CODES, WIRE_ERRORS } from '../packages/broker/src';

const doc = readFileSync(join(__dirname, '..', 'docs', 'errors.md'), 'utf8');

/** The rows of the markdown table in `section`, split into cells. */
function rows(section: string): string[][] {
  return [...section.matchAll(/^\| `(\w+)`\s*\|(.*)\|\s*$/gm)].map((m) => [
    m[1] as string,
    ...(m[2] as string).split('|').map((cell) => cell.trim()),
  ]);
}

/** The rows of the table under the `## heading` section. */
function tableUnder(heading: string): string[][] {
  return rows(doc.split(/^## /m).find((s) => s.startsWith(heading)) ?? '');
}

test('docs/errors.md lists exactly the engine error codes', () => {
  const preamble = doc.split(/^## /m)[0] ?? '';
  expect(
    rows(preamble)
      .map(([code]) => code)
      .sort(),
  ).toEqual([...ERROR_CODES].sort());
});

test('docs/errors.md lists exactly the codes the broker adds', () => {
  expect(
    tableUnder('Codes the broker adds')
      .map(([code]) => code)
      .sort(),
  ).toEqual([...BROKER_ERROR_CODES].sort());
});

test('docs/errors.md shows the wire names and status of every code', () => {
  const rows = tableUnder('On the wire').map(
    ([code, short, legacy, status]) => [
      code,
      {
        short: short?.replace(/`/g, ''),
        legacy: legacy?.replace(/`/g, ''),
        status: Number(status),
      },
    ],
  );
  expect(Object.fromEntries(rows)).toEqual(WIRE_ERRORS);
});
