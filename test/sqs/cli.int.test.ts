import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The `sluice` command fails clearly, with a non-zero exit, on bad usage. */
const cli = join(__dirname, '..', '..', 'packages', 'broker', 'src', 'cli.ts');

function sluice(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', cli, ...args],
      { env: { PATH: process.env.PATH }, timeout: 20_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

test('help prints the options and exits 0', async () => {
  const { code, stdout } = await sluice(['--help']);
  expect(code).toBe(0);
  expect(stdout).toContain('usage: sluice start');
  expect(stdout).toContain('--redis-url');
});

test.each([
  [['launch'], /unknown command "launch"/],
  [['start', '--port', 'nine'], /port must be an integer/],
  [['start', '--config', '/nonexistent.json'], /cannot read config file/],
  [
    ['start', '--port', '0', '--redis-url', 'redis://127.0.0.1:1'],
    /cannot reach Redis at redis:\/\/127\.0\.0\.1:1: connect ECONNREFUSED/,
  ],
])('sluice %j exits non-zero with a clear message', async (args, message) => {
  const { code, stderr } = await sluice(args);
  expect(code).not.toBe(0);
  expect(stderr).toMatch(/^sluice: /);
  expect(stderr).toMatch(message);
});
