// Prints the suite's totals as one plain line ("tests: N passed, N failed"),
// the closing line CI reads, from the JSON report jest wrote.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const skipped = report.numPendingTests + report.numTodoTests;
console.log(
  `tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed` +
    (skipped > 0 ? `, ${skipped} skipped` : ''),
);
if (report.numTotalTests === 0) {
  console.error('test-summary: jest ran no test');
  process.exitCode = 1;
}
