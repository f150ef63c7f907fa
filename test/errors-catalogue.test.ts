import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../packages/core/src';
import {
  BROKER_ERROR_CODES,
  SNS_ERROR_CODES,
  WIRE_ERRORS,
} from '../packages/broker/src';

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

const codesUnder = (heading: string) =>
  tableUnder(heading)
    .map(([code]) => code)
    .sort();

test('docs/errors.md lists exactly the engine error codes', () => {
  const preamble = doc.split(/^## /m)[0] ?? '';
  expect(
    rows(preamble)
      .map(([code]) => code)
      .sort(),
  ).toEqual([...ERROR_CODES].sort());
});

test('docs/errors.md lists exactly the codes the broker adds', () => {
  expect(codesUnder('Codes the broker adds')).toEqual(
    [...BROKER_ERROR_CODES].sort(),
  );
});

test('docs/errors.md lists exactly the SNS codes the engine lacks', () => {
  expect(codesUnder('SNS codes')).toEqual([...SNS_ERROR_CODES].sort());
});

test('the engine, the broker and the SNS lists share no code', () => {
  const all = [...ERROR_CODES, ...BROKER_ERROR_CODES, ...SNS_ERROR_CODES];
  expect(all.length).toBe(new Set(all).size);
});

test('docs/errors.md shows the wire names and status of every code', () => {
  const service = (heading: string) =>
    tableUnder(heading).map(([code, short, legacy, status]) => ({
      code: code as string,
      wire: {
        short: short?.replace(/`/g, ''),
        legacy: legacy?.replace(/`/g, ''),
        status: Number(status),
      },
    }));
  const documented: Record<string, Record<string, unknown>> = {};
  for (const name of ['sqs', 'sns'] as const) {
    for (const { code, wire } of service(
      `On the wire: ${name.toUpperCase()}`,
    )) {
      documented[code] = { ...documented[code], [name]: wire };
    }
  }
  expect(documented).toEqual(WIRE_ERRORS);
});
