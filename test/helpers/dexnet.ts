// Runs the real `dexnet` binary (bin/dexnet.js → dist/, kept current by the global setup) as a child process.
// Asynchronous, so that a test can run independent invocations side by side.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/dexnet.js', import.meta.url));

export interface DexnetRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface DexnetRunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra node flags (e.g. --import a preload). */
  nodeArgs?: string[];
  /** Kills the process and fails after this long. */
  timeoutMs?: number;
}

export function dexnet(args: string[], options: DexnetRunOptions = {}): Promise<DexnetRun> {
  const { cwd, env, nodeArgs = [], timeoutMs = 120_000 } = options;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`dexnet ${args.join(' ')} did not finish within ${timeoutMs} ms; stderr so far: ${stderr}`));
    }, timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
