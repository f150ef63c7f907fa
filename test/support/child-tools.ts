import { execFile, spawnSync } from 'node:child_process';

/**
 * The AWS CLI and boto3 as child processes, isolated from any local AWS
 * config, for tests that drive the broker with them.
 */
const childEnv: NodeJS.ProcessEnv = {
  ...Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith('AWS_')),
  ),
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: '/dev/null',
  AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  AWS_MAX_ATTEMPTS: '1',
};

/** Why a tool cannot run here, or undefined when it can. */
export function unavailable(file: string, args: string[]): string | undefined {
  const probe = spawnSync(file, args, { env: childEnv, encoding: 'utf8' });
  if (probe.error) {
    return `\`${file}\` not found (${probe.error.message})`;
  }
  return probe.status === 0
    ? undefined
    : `\`${file} ${args.join(' ')}\` exited ${probe.status}: ${probe.stderr.trim().split('\n').pop()}`;
}

export interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

export function run(file: string, args: string[]): Promise<Exit> {
  return new Promise((resolve, reject) => {
    execFile(
      file,
      args,
      { env: childEnv, timeout: 20_000 },
      (error, stdout, stderr) => {
        if (!error) {
          resolve({ code: 0, stdout, stderr });
        } else if (typeof error.code === 'number') {
          resolve({ code: error.code, stdout, stderr });
        } else {
          // not started, or killed on timeout
          reject(new Error(`${file} failed: ${error.message}`));
        }
      },
    );
  });
}

export async function json<T>(file: string, args: string[]): Promise<T> {
  const exit = await run(file, args);
  if (exit.code !== 0) {
    throw new Error(
      `${file} ${args.join(' ')} exited ${exit.code}: ${exit.stderr}`,
    );
  }
  return (exit.stdout.trim() ? JSON.parse(exit.stdout) : {}) as T;
}
