// The PyTorch-CPU baseline as a child process (bench/torch_gqcnn.py under Debian's /usr/bin/python3 with
// python3-torch): the benches alternate its timed segments with their own so both see the same machine load.
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { GqcnnArchitecture } from '../src/model/architecture.js';

/** Debian's interpreter: python3-torch installs there, not into a pyenv python3 on PATH. */
export const TORCH_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_gqcnn.py', import.meta.url));

export interface TorchSegment {
  itemsPerSecond: number;
  iterations: number;
  seconds: number;
  /** Share of the thread budget the Python process got (well below 1: other load). */
  cpuShare: number;
}

export class TorchBaseline {
  private readonly lines: AsyncIterator<string>;

  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly version: string,
    lines: AsyncIterator<string>,
  ) {
    this.lines = lines;
  }

  /** Why the baseline cannot run here, or null when /usr/bin/python3 imports torch. */
  static unavailable(): string | null {
    try {
      execFileSync(TORCH_PYTHON, ['-c', 'import torch'], { stdio: 'ignore' });
      return null;
    } catch {
      return `PyTorch comparison skipped: ${TORCH_PYTHON} cannot import torch (install Debian's python3-torch)`;
    }
  }

  /** Starts the Python process, builds the net and warms it up. */
  static async start(
    mode: 'train' | 'infer',
    arch: GqcnnArchitecture,
    batch: number,
    threads: number,
  ): Promise<TorchBaseline> {
    const env = { ...process.env, OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) };
    const child = spawn(TORCH_PYTHON, [SCRIPT, mode, JSON.stringify(arch), String(batch), String(threads)], { env });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const lines = readLines(child);
    const first = await lines.next();
    if (first.done) {
      await once(child, 'close');
      throw new Error(`${SCRIPT} exited before it was ready:\n${stderr.trim()}`);
    }
    const ready = JSON.parse(first.value) as { torch: string };
    return new TorchBaseline(child, ready.torch, lines);
  }

  /** Runs PyTorch for at least `seconds` and returns its throughput. */
  async segment(seconds: number): Promise<TorchSegment> {
    this.child.stdin.write(`${seconds}\n`);
    const r = await this.lines.next();
    if (r.done) throw new Error(`${SCRIPT} exited mid-run`);
    return JSON.parse(r.value) as TorchSegment;
  }

  async stop(): Promise<void> {
    this.child.stdin.end('\n');
    if (this.child.exitCode === null) await once(this.child, 'close');
  }
}

async function* readLines(child: ChildProcessWithoutNullStreams): AsyncGenerator<string> {
  let buf = '';
  for await (const chunk of child.stdout) {
    buf += (chunk as Buffer).toString();
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      yield buf.slice(0, i);
      buf = buf.slice(i + 1);
    }
  }
}

/** ours / PyTorch from alternated segments: total items over total time on each side, and the per-round spread. */
export function alternationRatio(ours: { items: number; seconds: number }[], torch: TorchSegment[]) {
  const rate = (items: number, s: number) => items / s;
  const oursRate = rate(
    ours.reduce((a, s) => a + s.items, 0),
    ours.reduce((a, s) => a + s.seconds, 0),
  );
  const torchRate = rate(
    torch.reduce((a, s) => a + s.itemsPerSecond * s.seconds, 0),
    torch.reduce((a, s) => a + s.seconds, 0),
  );
  const perRound = ours.map((o, i) => rate(o.items, o.seconds) / torch[i]!.itemsPerSecond);
  return { ratio: oursRate / torchRate, oursRate, torchRate, perRound };
}
