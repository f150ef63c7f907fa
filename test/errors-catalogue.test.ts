import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CODES } from '../packages/core/src';

test('docs/errors.md lists exactly the engine error codes', () => {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'errors.md'), 'utf8');
  const documented = [...doc.matchAll(/^\| `(\w+)`\s*\|/gm)].map((m) => m[1]);
  expect([...documented].sort()).toEqual([...ERROR_CODES].sort());
});
