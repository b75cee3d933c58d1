// `dexnet serve` (compiled) as a child process for the service benchmarks: resolves with its URL once it prints it.
import { spawn, type ChildProcess } from 'node:child_process';

/** Starts `dexnet serve --port 0 …args`; its stderr is kept (`stderr()`) and, with `echo`, passed on as it comes. */
export async function startServeProcess(
  args: string[],
  echo = false,
): Promise<{ url: string; child: ChildProcess; stderr: () => string }> {
  const child = spawn(process.execPath, ['bin/dexnet.js', 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (echo) process.stderr.write(d);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) =>
      reject(new Error(`dexnet serve exited (${code}) before listening; is dist/ built (npm run build)? ${err}`)),
    );
  });
  return { url, child, stderr: () => err };
}
