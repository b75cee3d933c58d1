// `dexnet calibrate <reports…> --model <dir>`: fits how a model's q maps to the share of its executed grasps that
// held (bin-clearing or evaluation reports, or a robot's pick log) and stores the map in the model's config.json;
// plans with the model then return calibrated q, and the ambidextrous policy compares the grippers on it.
import type { Command } from 'commander';
import { UserInputError } from '../core/errors.js';
import { fmt, numberOption } from './output.js';

interface CalibrateFlags {
  model?: string;
  minPool: number;
  dryRun?: boolean;
  remove?: boolean;
  json?: boolean;
}

export function registerCalibrate(program: Command): void {
  program
    .command('calibrate')
    .description(
      "fit a model's q to the grasps it planned that held (bin-clearing or evaluation reports, or a CSV pick log " +
        'with columns q,success) and store the map in its config.json',
    )
    .argument('[reports...]', 'report.json files of `dexnet evaluate` (--scene heap or not), or CSV pick logs')
    .requiredOption('--model <dir>', 'the model folder that planned the grasps (its gripper is read from the model)')
    .option(
      '--min-pool <n>',
      'fewest grasps behind each point of the map',
      numberOption('--min-pool', 1, 1e6, true),
      10,
    )
    .option('--dry-run', 'print the map without writing it')
    .option('--remove', "remove the model's calibration (plans return the network's q again)")
    .option('--json', 'print JSON')
    .action(async (reports: string[], flags: CalibrateFlags) => {
      const [{ fitCalibration, calibrateQ }, { loadModel, modelDigest, saveCalibration }, { readCalibrationSamples }] =
        await Promise.all([
          import('../model/calibration.js'),
          import('../model/model-io.js'),
          import('../evaluate/calibration-samples.js'),
        ]);
      const dir = flags.model!;
      const model = await loadModel(dir);
      if (flags.remove) {
        if (reports.length > 0) throw new UserInputError('--remove takes no reports', { field: 'remove' });
        if (!flags.dryRun) await saveCalibration(dir, null);
        console.log(`${dir}: calibration removed`);
        return;
      }
      if (reports.length === 0) throw new UserInputError('give at least one report or pick log', { field: 'reports' });
      const gripper = model.arch.poseDim === 2 ? 'suction' : 'parallel-jaw';
      const digest = await modelDigest(dir);
      const samples: { q: number; success: boolean }[] = [];
      for (const file of reports) {
        const r = await readCalibrationSamples(file, gripper, digest);
        if (!r.modelChecked) console.error(`${file}: ${r.kind} names no model digest; taken as planned with ${dir}`);
        samples.push(...r.samples);
      }
      if (samples.length < 2 * flags.minPool)
        throw new UserInputError(
          `${samples.length} executed ${gripper} grasps in the reports; a calibration needs at least ` +
            `${2 * flags.minPool} (--min-pool ${flags.minPool})`,
          { field: 'reports' },
        );
      const calibration = { ...fitCalibration(samples, { minPool: flags.minPool }), sources: reports };
      const held = samples.filter((s) => s.success).length;
      // Brier scores on the grasps fitted (in-sample: the calibrated one is optimistic).
      const brier = (f: (q: number) => number) =>
        samples.reduce((sum, s) => sum + (f(s.q) - (s.success ? 1 : 0)) ** 2, 0) / samples.length;
      const summary = {
        model: dir,
        gripper,
        digest,
        grasps: samples.length,
        held,
        brierNetwork: brier((q) => q),
        brierCalibrated: brier((q) => calibrateQ(calibration, q)),
        calibration,
        written: !flags.dryRun,
      };
      if (!flags.dryRun) await saveCalibration(dir, calibration);
      if (flags.json) {
        process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        return;
      }
      console.log(
        `${gripper} model ${dir}: ${samples.length} executed grasps, ${held} held (${fmt((100 * held) / samples.length, 1)} %)`,
      );
      console.log('   network q   grasps   held share (calibrated q)');
      calibration.q.forEach((q, i) =>
        console.log(
          `${fmt(q, 3).padStart(12)}${String(calibration.grasps?.[i] ?? '').padStart(9)}   ${fmt(calibration.p[i]!, 3).padStart(8)}`,
        ),
      );
      console.log(
        `Brier score ${fmt(summary.brierNetwork, 4)} as predicted, ${fmt(summary.brierCalibrated, 4)} calibrated (on these grasps)`,
      );
      console.log(flags.dryRun ? 'dry run: nothing written' : `written to ${dir}/config.json`);
    });
}
