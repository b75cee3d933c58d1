// What an import run amounts to: how many objects were kept, how many follow their source within the grid spacing
// (the Hausdorff distance at final scale, hole closures left out), time per object, and rejects grouped by reason.
import type { ImportManifest } from './import-objects.js';

export interface ImportSummary {
  objects: number;
  rejected: number;
  /** Kept over kept + rejected. */
  keptShare: number;
  /** Kept objects whose Hausdorff distance is at most the grid spacing. */
  withinSpacing: number;
  withinSpacingShare: number;
  /** Over every object, kept or rejected (s; wall-clock as recorded). */
  medianSeconds: number;
  p90Seconds: number;
  /** Reasons with their numbers replaced by N, most frequent first. */
  rejectReasons: Record<string, number>;
}

/** The q-quantile (nearest rank) of `values`; 0 for none. */
function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function summarizeImport(manifest: ImportManifest): ImportSummary {
  const objects = manifest.objects.length,
    rejected = manifest.rejects.length;
  const withinSpacing = manifest.objects.filter((o) => o.hausdorff <= manifest.spacing).length;
  const reasons = new Map<string, number>();
  for (const r of manifest.rejects) {
    // Numbers in any notation (0.61, 12000000, 2.4e-7) become N, so one cause is one line.
    const key = r.reason.replace(/\b\d+(\.\d+)?(e[-+]?\d+)?\b/gi, 'N').slice(0, 110);
    reasons.set(key, (reasons.get(key) ?? 0) + 1);
  }
  // Unreadable sources record 0 s: they were never imported, so they do not count towards the time per object.
  const seconds = [...manifest.objects, ...manifest.rejects].map((o) => o.seconds).filter((s) => s > 0);
  return {
    objects,
    rejected,
    keptShare: objects + rejected > 0 ? objects / (objects + rejected) : 0,
    withinSpacing,
    withinSpacingShare: objects > 0 ? withinSpacing / objects : 0,
    medianSeconds: quantile(seconds, 0.5),
    p90Seconds: quantile(seconds, 0.9),
    rejectReasons: Object.fromEntries([...reasons].sort((a, b) => b[1] - a[1])),
  };
}
