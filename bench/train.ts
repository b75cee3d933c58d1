// Training throughput of the ONNX Runtime training graph (forward + backward + momentum SGD in
// TypeScript) for GQCNN-2.0 and the compact default at batch 64, 2 threads.
// Usage: tsx bench/train.ts [--json] [--seconds s] [--batch b] [--threads t] [--arch a,b] [--profile]
//        [--dw auto|shift|conv] [--dx conv|convTranspose]   (backward variants, see TrainingGraphOptions)
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { type GqcnnArchitecture, countParameters, forwardFlops, getPreset, validateArchitecture } from '../src/model/architecture.js';
import { GqcnnTrainer } from '../src/model/trainer.js';
import { flag, opt } from './args.js';

const json = flag('json');
const seconds = Number(opt('seconds', '8'));
const batch = Number(opt('batch', '64'));
const threads = Number(opt('threads', '2'));
const archNames = opt('arch', 'GQCNN-2.0,default').split(',');
const profile = flag('profile');
const convWeightGrad = opt('dw', 'auto') as 'auto' | 'shift' | 'conv';
const convInputGrad = opt('dx', 'conv') as 'conv' | 'convTranspose';

async function measure(arch: GqcnnArchitecture) {
  const prefix = profile ? `/tmp/dexnet-train-profile-${arch.name}` : undefined;
  const t = await GqcnnTrainer.create({ arch, seed: 1, intraOpNumThreads: threads, profileFilePrefix: prefix, convWeightGrad, convInputGrad });
  const crop = arch.imChannels * arch.imHeight * arch.imWidth;
  const im = Float32Array.from({ length: batch * crop }, () => Math.random() * 2 - 1);
  const pose = Float32Array.from({ length: batch * arch.poseDim }, () => Math.random() * 2 - 1);
  const labels = Uint8Array.from({ length: batch }, () => (Math.random() < 0.3 ? 1 : 0));
  for (let i = 0; i < 2; i++) await t.step(im, pose, labels, batch);
  let steps = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stepMs: number[] = [];
  while (performance.now() - t0 < seconds * 1000 || steps < 3) {
    const s0 = performance.now();
    await t.step(im, pose, labels, batch);
    stepMs.push(performance.now() - s0);
    steps++;
  }
  stepMs.sort((a, b) => a - b);
  const bestMs = stepMs[0]!;
  const medianMs = stepMs[Math.floor(stepMs.length / 2)]!;
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const ms = wall / steps;
  // share of `threads` cores this process actually got: well below 1 means other load on the CPUs
  const cpuShare = (cpu.user + cpu.system) / 1000 / wall / threads;
  await t.release();
  let topOps: { op: string; ms: number }[] | undefined;
  if (prefix) topOps = await summariseProfile(prefix, steps + 2);
  return {
    arch: arch.name,
    params: countParameters(arch),
    samplesPerSecond: (batch * 1000) / ms,
    // the fastest step shows what the code does when other processes leave the cores alone
    bestSamplesPerSecond: (batch * 1000) / bestMs,
    medianMsPerStep: medianMs,
    msPerStep: ms,
    steps,
    cpuShare,
    topOps,
  };
}

/** Mean ms per step for each node of the newest ORT profile with this prefix. */
async function summariseProfile(prefix: string, runs: number) {
  const dir = '/tmp';
  const files = (await fs.readdir(dir)).filter((f) => `${dir}/${f}`.startsWith(prefix)).sort();
  const file = `${dir}/${files[files.length - 1]}`;
  const events = JSON.parse(await fs.readFile(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string } }[];
  const byNode = new Map<string, number>();
  for (const e of events)
    if (e.cat === 'Node' && e.name.endsWith('_kernel_time')) byNode.set(`${e.args?.op_name} ${e.name.replace('_kernel_time', '')}`, (byNode.get(`${e.args?.op_name} ${e.name.replace('_kernel_time', '')}`) ?? 0) + e.dur);
  const byType = new Map<string, number>();
  for (const [k, us] of byNode) byType.set(`[${k.split(' ')[0]}]`, (byType.get(`[${k.split(' ')[0]}]`) ?? 0) + us);
  const top = (m: Map<string, number>, n: number) => [...m].map(([op, us]) => ({ op, ms: us / 1000 / runs })).sort((a, b) => b.ms - a.ms).slice(0, n);
  return [...top(byType, 10), ...top(byNode, 10)];
}

function torchComparison(): { ok: false; message: string } | { ok: true; samplesPerSecond: number } {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch'], { stdio: 'ignore' });
  } catch {
    return { ok: false, message: 'PyTorch comparison skipped: /usr/bin/python3 cannot import torch (Debian package python3-torch)' };
  }
  return { ok: false, message: 'PyTorch is installed but the comparison script is not written yet' };
}

const results = [];
for (const name of archNames) {
  // A preset name, or a JSON architecture file (as `dexnet train --arch`).
  const arch = name.endsWith('.json') ? validateArchitecture(JSON.parse(await fs.readFile(name, 'utf8')), name) : getPreset(name);
  const r = await measure(arch);
  results.push(r);
  console.log(
    `${r.arch}: ${r.samplesPerSecond.toFixed(1)} samples/s (best step ${r.bestSamplesPerSecond.toFixed(1)}; batch ${batch}, ${threads} threads, ${r.msPerStep.toFixed(1)} ms/step, ${(r.params / 1e6).toFixed(2)} M params, ${(forwardFlops(arch) / 1e6).toFixed(1)} MFLOP/crop forward, got ${(100 * r.cpuShare).toFixed(0)}% of ${threads} cores)`,
  );
  if (r.topOps) for (const o of r.topOps) console.log(`  ${o.ms.toFixed(2).padStart(8)} ms  ${o.op}`);
}
const torch = torchComparison();
if (!torch.ok) console.log(torch.message);
console.log('note: other processes may share these CPUs; figures are noisy');
if (json) {
  const main = results[0]!;
  console.log(
    JSON.stringify({
      samplesPerSecond: main.samplesPerSecond,
      arch: main.arch,
      batch,
      threads,
      results: results.map(({ topOps: _t, ...r }) => r),
      torchRatio: torch.ok ? main.samplesPerSecond / torch.samplesPerSecond : null,
      torch: torch.ok ? torch : torch.message,
    }),
  );
}
