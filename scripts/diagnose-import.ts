// Where an imported solid departs from its source, per model: runs the import pipeline step by step and sorts the
// far samples (over 1 grid spacing at final scale) by cause, at Dex-Net's scale (min:0.04). Source samples outside
// the result: near a part the level set made but the importer dropped ("dropped"), near no level-set surface at all
// ("vanished": a sheet or feature the field lost), or near the unsimplified level set ("simplified"). Result
// samples far from the source: already so in the level set (holes closed, concavities filled) or only after
// simplification. Usage:
//   npx tsx scripts/diagnose-import.ts <inputs…> [--match <regex on id or name>]
import { listSourceObjects } from '../src/dataset/import-objects.js';
import { importSolid } from '../src/geometry/object-import.js';
import { scaleMesh } from '../src/geometry/mesh-properties.js';
import { gridAround, sampler, signedField } from '../src/geometry/remesh.js';
import { orientSoup } from '../src/geometry/orient-soup.js';
import { CsgScope, loadManifold, manifoldToMesh } from '../src/geometry/procedural/csg.js';
import { sampleSurface, SurfaceQueries } from '../src/geometry/surface-distance.js';

const args = process.argv.slice(2);
const m = args.indexOf('--match');
const match = m >= 0 ? new RegExp(args.splice(m, 2)[1], 'i') : /./;
const { objects } = await listSourceObjects(args, 'none');
const spacing = 0.001;
for (const object of objects) {
  if (!match.test(object.id) && !match.test(object.name)) continue;
  const soup = object.load();
  const t0 = performance.now();
  const solid = await importSolid(soup, { rule: { kind: 'min', extent: 0.04 }, spacing, maxTriangles: 20000 });
  const seconds = (performance.now() - t0) / 1000;
  const source = scaleMesh(soup, solid.scale);
  // The level set again at the same scale, all parts, unsimplified.
  const grid = gridAround(source, spacing);
  const field = signedField(orientSoup(source), grid, 1.5 * spacing);
  const wasm = await loadManifold();
  const scope = new CsgScope(wasm);
  const sample = sampler(field, grid);
  const far = grid.size.map((s, k) => grid.origin[k] + (s - 1) * spacing) as [number, number, number];
  const all = scope.keep(wasm.Manifold.levelSet(sample, { min: grid.origin, max: far }, spacing, 0));
  const parts = all.decompose().map((p) => scope.keep(p));
  parts.sort((a, b) => b.volume() - a.volume());
  const allMesh = manifoldToMesh(all);
  const largest = manifoldToMesh(parts[0]);
  const volumes = parts.map((p) => p.volume());
  scope.dispose();
  const onAll = new SurfaceQueries(allMesh),
    onLargest = new SurfaceQueries(largest),
    onResult = new SurfaceQueries(solid.mesh);
  const onSource = new SurfaceQueries(source);
  const n = 4000;
  const q = sampleSurface(source, n, 2);
  const causes = { droppedPart: 0, vanished: 0, simplified: 0 };
  const worst = { droppedPart: 0, vanished: 0, simplified: 0 };
  for (let s = 0; s < n; s++) {
    const [x, y, z] = [q[s * 3], q[s * 3 + 1], q[s * 3 + 2]];
    const r = onResult.inside(x, y, z);
    if (r.inside || r.distance <= spacing) continue;
    const cause =
      onLargest.closest(x, y, z).distance <= spacing
        ? 'simplified'
        : onAll.closest(x, y, z).distance <= spacing
          ? 'droppedPart'
          : 'vanished';
    causes[cause]++;
    worst[cause] = Math.max(worst[cause], r.distance);
  }
  const rs = sampleSurface(solid.mesh, n, 3);
  const back = { onLargestToo: 0, simplified: 0 };
  for (let s = 0; s < n; s++) {
    const [x, y, z] = [rs[s * 3], rs[s * 3 + 1], rs[s * 3 + 2]];
    if (onSource.closest(x, y, z).distance <= spacing) continue;
    // Far from the source: already so before simplification?
    const l = onLargest.closest(x, y, z).distance;
    if (l <= spacing / 4) back.onLargestToo++;
    else back.simplified++;
  }
  const d = solid.distance;
  const mm = (v: number): string => (v * 1000).toFixed(1);
  console.log(
    `${object.name.slice(0, 28).padEnd(28)} H ${mm(d.hausdorff)} r2s ${mm(d.resultToSource)} s2r ${mm(d.sourceToResult)} ` +
      `hole ${d.closedHoleShare.toFixed(3)}/${mm(d.closedHoleDistance)} parts ${parts.length} [${volumes
        .slice(0, 4)
        .map((v) => (v * 1e9).toFixed(0))
        .join(' ')}] mm³ ` +
      `| far src: dropped ${causes.droppedPart} (${mm(worst.droppedPart)}) vanished ${causes.vanished} (${mm(worst.vanished)}) simplified ${causes.simplified} (${mm(worst.simplified)}) ` +
      `| far result: levelset ${back.onLargestToo} simplified ${back.simplified} | ${seconds.toFixed(1)} s`,
  );
}
