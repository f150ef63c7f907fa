import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ChildOptions {
  /** shown in errors */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** matched against stdout and stderr together; the child is ready then */
  readonly ready: RegExp;
  readonly timeoutMs: number;
  /** shown when the command is not found */
  readonly install?: string;
}

export interface RunningChild {
  /** what `ready` matched, its groups included */
  readonly match: RegExpMatchArray;
  readonly pid: number;
  /** CPU time it has used so far (user + system), ms; NaN off Linux */
  cpuMs(): number;
  /** SIGTERM, then SIGKILL after 5 s; resolves when it has exited */
  stop(): Promise<void>;
}

function waitForOutput(
  child: ChildProcess,
  options: ChildOptions,
): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      finish();
      reject(
        new Error(
          `${options.name} did not start within ${options.timeoutMs} ms:\n${output}`,
        ),
      );
    }, options.timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = options.ready.exec(output);
      if (match) {
        finish();
        resolve(match);
      }
    };
    const onExit = (code: number | null) => {
      finish();
      reject(
        new Error(
          `${options.name} exited with code ${String(code)}:\n${output}`,
        ),
      );
    };
    const onError = (error: NodeJS.ErrnoException) => {
      finish();
      reject(
        error.code === 'ENOENT'
          ? new Error(
              `${options.command} not found on PATH` +
                (options.install ? ` (${options.install})` : ''),
              { cause: error },
            )
          : error,
      );
    };
    function finish() {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', onError);
      // Keep draining: a child blocked on a full pipe would stall.
      child.stdout?.resume();
      child.stderr?.resume();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', onError);
  });
}

/** Linux counts CPU time in /proc in clock ticks of 10 ms (USER_HZ). */
const MS_PER_TICK = 10;

function cpuMsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which ends with ") ": utime is
    // field 14 of the line, [11] here, and stime the next.
    const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return NaN;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Starts a server as a child process and waits for the line that says it
 * listens. The child is killed when this process exits, on errors and
 * signals too (process.exit runs 'exit' listeners).
 */
export async function startChild(options: ChildOptions): Promise<RunningChild> {
  const child = spawn(options.command, options.args, {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let match: RegExpMatchArray;
  try {
    match = await waitForOutput(child, options);
  } catch (error) {
    process.off('exit', killOnExit);
    child.kill('SIGKILL');
    throw error;
  }
  return {
    match,
    pid: child.pid ?? 0,
    cpuMs: () => cpuMsOf(child.pid ?? 0),
    stop: async () => {
      await stopChild(child);
      process.off('exit', killOnExit);
    },
  };
}
