// Training throughput of the ONNX Runtime training graph (forward + backward + momentum SGD in
// TypeScript) for GQCNN-2.0 and the default at batch 64, 2 threads, alternated in one run with the same
// net in PyTorch-CPU (bench/torch_gqcnn.py) so that load from other processes hits both alike.
// Usage: tsx bench/train.ts [--json] [--seconds s] [--rounds r] [--batch b] [--threads t] [--arch a,b]
//        [--profile] [--no-torch] [--dw auto|shift|conv] [--dx conv|convTranspose]   (see TrainingGraphOptions)
// --seconds is each side's time per architecture, split into --rounds alternating segments (ours, torch, …).
import { promises as fs } from 'node:fs';
import {
  type GqcnnArchitecture,
  countParameters,
  forwardFlops,
  getPreset,
  validateArchitecture,
} from '../src/model/architecture.js';
import { GqcnnTrainer } from '../src/model/trainer.js';
import { flag, opt } from './args.js';
import { TorchBaseline, type TorchSegment, alternationRatio } from './torch-baseline.js';

const json = flag('json');
const seconds = Number(opt('seconds', '8'));
const rounds = Number(opt('rounds', '4'));
const batch = Number(opt('batch', '64'));
const threads = Number(opt('threads', '2'));
const archNames = opt('arch', 'GQCNN-2.0,default').split(',');
const profile = flag('profile');
const convWeightGrad = opt('dw', 'auto') as 'auto' | 'shift' | 'conv';
const convInputGrad = opt('dx', 'conv') as 'conv' | 'convTranspose';
const torchSkip = flag('no-torch') ? 'PyTorch comparison skipped: --no-torch' : TorchBaseline.unavailable();

async function measure(arch: GqcnnArchitecture) {
  const prefix = profile ? `/tmp/dexnet-train-profile-${arch.name}` : undefined;
  const t = await GqcnnTrainer.create({
    arch,
    seed: 1,
    intraOpNumThreads: threads,
    profileFilePrefix: prefix,
    convWeightGrad,
    convInputGrad,
  });
  const crop = arch.imChannels * arch.imHeight * arch.imWidth;
  const im = Float32Array.from({ length: batch * crop }, () => Math.random() * 2 - 1);
  const pose = Float32Array.from({ length: batch * arch.poseDim }, () => Math.random() * 2 - 1);
  const labels = Uint8Array.from({ length: batch }, () => (Math.random() < 0.3 ? 1 : 0));
  for (let i = 0; i < 2; i++) await t.step(im, pose, labels, batch);
  let torchError: string | null = torchSkip;
  let torch: TorchBaseline | null = null;
  if (!torchError) {
    try {
      torch = await TorchBaseline.start('train', arch, batch, threads);
    } catch (e) {
      torchError = `PyTorch comparison failed: ${(e as Error).message}`;
    }
  }
  const stepMs: number[] = [];
  const ours: { items: number; seconds: number }[] = [];
  const torchSegments: TorchSegment[] = [];
  let cpuMs = 0;
  const segmentSeconds = seconds / rounds;
  for (let r = 0; r < rounds; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let steps = 0;
    while (performance.now() - t0 < segmentSeconds * 1000 || steps < 3) {
      const s0 = performance.now();
      await t.step(im, pose, labels, batch);
      stepMs.push(performance.now() - s0);
      steps++;
    }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    cpuMs += (cpu.user + cpu.system) / 1000;
    ours.push({ items: steps * batch, seconds: wall / 1000 });
    if (torch) torchSegments.push(await torch.segment(segmentSeconds));
  }
  await torch?.stop();
  await t.release();
  stepMs.sort((a, b) => a - b);
  const wallS = ours.reduce((a, s) => a + s.seconds, 0);
  const steps = stepMs.length;
  let topOps: { op: string; ms: number }[] | undefined;
  if (prefix) topOps = await summariseProfile(prefix, steps + 2);
  const cmp = torch ? alternationRatio(ours, torchSegments) : null;
  return {
    arch: arch.name,
    params: countParameters(arch),
    samplesPerSecond: (steps * batch) / wallS,
    // the fastest step shows what the code does when other processes leave the cores alone
    bestSamplesPerSecond: (batch * 1000) / stepMs[0]!,
    medianMsPerStep: stepMs[Math.floor(steps / 2)]!,
    msPerStep: (wallS * 1000) / steps,
    steps,
    // share of `threads` cores this process actually got: well below 1 means other load on the CPUs
    cpuShare: cpuMs / (wallS * 1000) / threads,
    torch: cmp
      ? {
          version: torch!.version,
          samplesPerSecond: cmp.torchRate,
          ratio: cmp.ratio,
          perRoundRatio: cmp.perRound,
          cpuShare:
            torchSegments.reduce((a, s) => a + s.cpuShare * s.seconds, 0) /
            torchSegments.reduce((a, s) => a + s.seconds, 0),
        }
      : torchError!,
    topOps,
  };
}

/** Mean ms per step for each node of the newest ORT profile with this prefix. */
async function summariseProfile(prefix: string, runs: number) {
  const dir = '/tmp';
  const files = (await fs.readdir(dir)).filter((f) => `${dir}/${f}`.startsWith(prefix)).sort();
  const file = `${dir}/${files[files.length - 1]}`;
  type Event = { cat: string; name: string; dur: number; args?: { op_name?: string } };
  const events = JSON.parse(await fs.readFile(file, 'utf8')) as Event[];
  const byNode = new Map<string, number>();
  const add = (m: Map<string, number>, k: string, us: number) => m.set(k, (m.get(k) ?? 0) + us);
  for (const e of events)
    if (e.cat === 'Node' && e.name.endsWith('_kernel_time'))
      add(byNode, `${e.args?.op_name} ${e.name.replace('_kernel_time', '')}`, e.dur);
  const byType = new Map<string, number>();
  for (const [k, us] of byNode) add(byType, `[${k.split(' ')[0]}]`, us);
  const top = (m: Map<string, number>, n: number) =>
    [...m]
      .map(([op, us]) => ({ op, ms: us / 1000 / runs }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, n);
  return [...top(byType, 10), ...top(byNode, 25)];
}

const results = [];
for (const name of archNames) {
  // A preset name, or a JSON architecture file (as `dexnet train --arch`).
  const arch = name.endsWith('.json')
    ? validateArchitecture(JSON.parse(await fs.readFile(name, 'utf8')), name)
    : getPreset(name);
  const r = await measure(arch);
  results.push(r);
  console.log(
    `${r.arch}: ${r.samplesPerSecond.toFixed(1)} samples/s (best step ${r.bestSamplesPerSecond.toFixed(1)}; ` +
      `batch ${batch}, ${threads} threads, ${r.msPerStep.toFixed(1)} ms/step, ` +
      `${(r.params / 1e6).toFixed(2)} M params, ` +
      `${(forwardFlops(arch) / 1e6).toFixed(1)} MFLOP/crop forward, got ${(100 * r.cpuShare).toFixed(0)}% of ` +
      `${threads} cores)`,
  );
  if (typeof r.torch === 'string') console.log(`  ${r.torch}`);
  else
    console.log(
      `  PyTorch ${r.torch.version} (same net, batch, threads; alternated in ${rounds} rounds): ` +
        `${r.torch.samplesPerSecond.toFixed(1)} samples/s → ours/torch ${r.torch.ratio.toFixed(2)}× ` +
        `(rounds ${r.torch.perRoundRatio.map((x) => x.toFixed(2)).join(', ')}; torch got ` +
        `${(100 * r.torch.cpuShare).toFixed(0)}% of ${threads} cores)`,
    );
  if (r.topOps) for (const o of r.topOps) console.log(`  ${o.ms.toFixed(2).padStart(8)} ms  ${o.op}`);
}
console.log('note: other processes may share these CPUs; the alternated ratio is what compares');
if (json) {
  const main = results[0]!;
  console.log(
    JSON.stringify({
      samplesPerSecond: main.samplesPerSecond,
      arch: main.arch,
      batch,
      threads,
      results: results.map(({ topOps: _t, ...r }) => r),
      torchRatio: typeof main.torch === 'string' ? null : main.torch.ratio,
      torch: main.torch,
    }),
  );
}
