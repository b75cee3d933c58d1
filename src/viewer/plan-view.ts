// The planning page: inputs by drop, file picker or the bundled example; the depth image colour-mapped and as a
// point cloud; Plan sends the same files to POST /v1/plan and draws the top-k grasps on both, with their q (jaws, or
// suction cups: the cup's rim and its axis).
import type { DepthImage, Mask } from '../image/depth-image.js';
import type { PlanJson, PlannedGrasp as Grasp } from '../policy/plan-types.js';
import { api, ApiError } from './api.js';
import { CloudView, qColour } from './cloud-view.js';
import { depthToImageData } from './colormap.js';
import { readDropped, type Camera } from './inputs.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export class PlanView {
  private depth: { file: File; image: DepthImage } | null = null;
  private camera: { file: File; k: Camera } | null = null;
  private segmask: { file: File; mask: Mask } | null = null;
  private grasps: Grasp[] = [];
  private hovered: number | null = null;
  private readonly canvas = $<HTMLCanvasElement>('image');
  private readonly cloud: CloudView;

  constructor() {
    this.cloud = new CloudView($('cloud'), (i, e) => this.hover(i, e));
    const drop = $('drop');
    drop.addEventListener('dragover', (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
    drop.addEventListener('dragleave', () => drop.classList.remove('over'));
    drop.addEventListener('drop', (e) => {
      e.preventDefault();
      drop.classList.remove('over');
      void this.addFiles([...(e.dataTransfer?.files ?? [])]);
    });
    $<HTMLInputElement>('files').addEventListener(
      'change',
      (e) => void this.addFiles([...((e.target as HTMLInputElement).files ?? [])]),
    );
    $('load-example').addEventListener('click', () => void this.loadExample());
    $('plan').addEventListener('click', () => void this.plan());
    this.canvas.addEventListener('mousemove', (e) => this.hover(this.graspAt(e), e));
    this.canvas.addEventListener('mouseleave', (e) => this.hover(null, e));
  }

  private status(text: string, error = false): void {
    const s = $('status');
    s.textContent = text;
    s.classList.toggle('error', error);
  }

  async addFiles(files: File[]): Promise<void> {
    const scale = Number($<HTMLInputElement>('depth-scale').value) || 0.001;
    try {
      for (const file of files) {
        const d = await readDropped(file, scale);
        if (d.kind === 'depth') this.depth = { file, image: d.depth };
        else if (d.kind === 'segmask') this.segmask = { file, mask: d.mask };
        else this.camera = { file, k: d.camera };
      }
      this.grasps = [];
      this.status(this.depth && this.camera ? 'ready: press Plan' : 'add a depth image and its intrinsics');
    } catch (e) {
      this.status((e as Error).message, true);
    }
    this.showInputs();
  }

  async loadExample(): Promise<void> {
    this.status('loading the example…');
    const files = await Promise.all(
      ['depth.npy', 'camera.intr', 'segmask.png'].map(
        async (name) => new File([await (await api(`v1/example/${name}`)).blob()], name),
      ),
    );
    this.depth = this.camera = this.segmask = null;
    await this.addFiles(files);
  }

  private showInputs(): void {
    const rows: string[] = [];
    if (this.depth)
      rows.push(
        `<dt>depth</dt><dd>${escapeHtml(this.depth.file.name)} (${this.depth.image.width}×${this.depth.image.height})</dd>`,
      );
    if (this.camera)
      rows.push(
        `<dt>intrinsics</dt><dd>${escapeHtml(this.camera.file.name)} (f ${this.camera.k.fx.toFixed(0)} px)</dd>`,
      );
    if (this.segmask) rows.push(`<dt>segmask</dt><dd>${escapeHtml(this.segmask.file.name)}</dd>`);
    $('inputs').innerHTML = rows.join('');
    $<HTMLButtonElement>('plan').disabled = !(this.depth && this.camera);
    this.drawImage();
    this.showGrasps();
    if (this.depth && this.camera) this.cloud.setCloud(this.depth.image, this.camera.k, this.segmask?.mask ?? null);
    this.cloud.setGrasps(this.grasps);
  }

  async plan(): Promise<void> {
    if (!this.depth || !this.camera) return;
    const form = new FormData();
    form.append('depth', this.depth.file);
    form.append('intrinsics', this.camera.file);
    if (this.segmask) form.append('segmask', this.segmask.file);
    for (const [field, id] of [
      ['policy', 'policy'],
      ['topK', 'top-k'],
      ['seed', 'seed'],
      ['depthScale', 'depth-scale'],
      ['gripper', 'gripper'],
    ]) {
      // An empty gripper leaves the choice to the service: its model's kind.
      const value = $<HTMLInputElement>(id).value;
      if (value !== '') form.append(field, value);
    }
    $<HTMLButtonElement>('plan').disabled = true;
    this.status('planning…');
    try {
      const answer = (await (await api('v1/plan', { method: 'POST', body: form })).json()) as PlanJson;
      this.grasps = answer.grasps;
      this.status(`${answer.policy}: ${answer.scoredCount} grasps scored in ${answer.timeMs.toFixed(0)} ms`);
    } catch (e) {
      this.grasps = [];
      this.status(e instanceof ApiError && e.field ? `${e.message}` : `planning failed: ${(e as Error).message}`, true);
    } finally {
      $<HTMLButtonElement>('plan').disabled = false;
    }
    this.drawImage();
    this.showGrasps();
    this.cloud.setGrasps(this.grasps);
  }

  private drawImage(): void {
    const ctx = this.canvas.getContext('2d')!;
    if (!this.depth) {
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      return;
    }
    const { width, height, data } = this.depth.image;
    this.canvas.width = width;
    this.canvas.height = height;
    ctx.putImageData(depthToImageData(data, width, height), 0, 0);
    // Worst first, so the best grasp is drawn on top.
    for (let i = this.grasps.length - 1; i >= 0; i--) drawGrasp(ctx, this.grasps[i], i, i === this.hovered);
  }

  private showGrasps(): void {
    $('grasps').innerHTML = this.grasps
      .map(
        (g, i) =>
          `<li data-index="${i}" class="${i === this.hovered ? 'hover' : ''}">${g.gripper ? `<span class="gripper">${g.gripper}</span> · ` : ''}q <b class="q">${g.q.toFixed(3)}</b> · depth ${g.depth.toFixed(3)} m · (${g.center.x.toFixed(0)}, ${g.center.y.toFixed(0)})</li>`,
      )
      .join('');
    for (const li of $('grasps').querySelectorAll('li')) {
      li.addEventListener('mousemove', (e) => this.hover(Number(li.dataset.index), e));
      li.addEventListener('mouseleave', (e) => this.hover(null, e));
    }
  }

  /** The grasp whose jaw line (or cup) passes within 8 px of the pointer. */
  private graspAt(e: MouseEvent): number | null {
    const rect = this.canvas.getBoundingClientRect();
    const x = ((e.clientX - rect.left) / rect.width) * this.canvas.width;
    const y = ((e.clientY - rect.top) / rect.height) * this.canvas.height;
    let best: number | null = null,
      bestD = 8;
    this.grasps.forEach((g, i) => {
      if (g.suction) {
        const d = Math.max(0, Math.hypot(x - g.center.x, y - g.center.y) - g.suction.cupRadiusPx);
        if (d < bestD) [best, bestD] = [i, d];
        return;
      }
      const dx = Math.cos(g.angle),
        dy = Math.sin(g.angle);
      const along = Math.max(-g.widthPx / 2, Math.min(g.widthPx / 2, (x - g.center.x) * dx + (y - g.center.y) * dy));
      const d = Math.hypot(x - g.center.x - along * dx, y - g.center.y - along * dy);
      if (d < bestD) [best, bestD] = [i, d];
    });
    return best;
  }

  private hover(index: number | null, e: MouseEvent): void {
    const tip = $('tooltip');
    if (index !== this.hovered) {
      this.hovered = index;
      this.drawImage();
      for (const li of $('grasps').querySelectorAll('li'))
        li.classList.toggle('hover', Number((li as HTMLElement).dataset.index) === index);
      this.cloud.highlight(index);
    }
    if (index === null || !this.grasps[index]) {
      tip.hidden = true;
      return;
    }
    const g = this.grasps[index];
    const s = g.suction;
    const deg = (rad: number) => `${((rad * 180) / Math.PI).toFixed(1)}°`;
    tip.textContent = [
      `${s ? 'suction grasp' : g.gripper ? 'parallel-jaw grasp' : 'grasp'} #${index + 1}`,
      `q        ${g.q.toFixed(4)}`,
      `${s ? 'target' : 'centre'}   x ${g.center.x.toFixed(1)}, y ${g.center.y.toFixed(1)} px`,
      s
        ? `approach ${s.approach.map((v) => v.toFixed(3)).join(', ')} (${deg(s.approachAngle)} from the optical axis)`
        : `angle    ${deg(g.angle)}`,
      `depth    ${g.depth.toFixed(4)} m`,
      `${s ? 'cup' : 'width'}      ${(g.width * 1000).toFixed(1)} mm (${g.widthPx.toFixed(1)} px)`,
      `position ${[g.pose[3], g.pose[7], g.pose[11]].map((v) => v.toFixed(3)).join(', ')} m`,
    ].join('\n');
    tip.style.left = `${e.clientX + 14}px`;
    tip.style.top = `${e.clientY + 14}px`;
    tip.hidden = false;
  }
}

/**
 * A grasp on the image: the jaw line across the axis and the jaws, or a suction cup's rim and its axis (from 3 cm
 * back toward the cup down to the target); then the centre and its rank and q.
 */
function drawGrasp(ctx: CanvasRenderingContext2D, g: Grasp, rank: number, hovered: boolean): void {
  const colour = `#${qColour(g.q).getHexString()}`;
  ctx.save();
  ctx.lineWidth = hovered ? 4 : rank === 0 ? 3 : 2;
  ctx.strokeStyle = hovered ? '#ffffff' : colour;
  ctx.beginPath();
  if (g.suction) {
    const t = g.suction.axisTailPx;
    ctx.arc(g.center.x, g.center.y, Math.max(2, g.suction.cupRadiusPx), 0, 2 * Math.PI);
    ctx.moveTo(t.x, t.y);
    ctx.lineTo(g.center.x, g.center.y);
  } else {
    const dx = (Math.cos(g.angle) * g.widthPx) / 2,
      dy = (Math.sin(g.angle) * g.widthPx) / 2;
    ctx.moveTo(g.center.x - dx, g.center.y - dy);
    ctx.lineTo(g.center.x + dx, g.center.y + dy);
    // Jaws: short bars perpendicular to the axis.
    for (const s of [-1, 1]) {
      const jx = g.center.x + s * dx,
        jy = g.center.y + s * dy,
        px = -dy * 0.25,
        py = dx * 0.25;
      ctx.moveTo(jx - px, jy - py);
      ctx.lineTo(jx + px, jy + py);
    }
  }
  ctx.stroke();
  ctx.fillStyle = colour;
  ctx.beginPath();
  ctx.arc(g.center.x, g.center.y, 3, 0, 2 * Math.PI);
  ctx.fill();
  ctx.font = 'bold 12px system-ui, sans-serif';
  ctx.lineWidth = 3;
  ctx.strokeStyle = '#000000';
  const label = `#${rank + 1} q ${g.q.toFixed(2)}`;
  ctx.strokeText(label, g.center.x + 6, g.center.y - 6);
  ctx.fillText(label, g.center.x + 6, g.center.y - 6);
  ctx.restore();
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
