// The dataset browser: pages of 32×32 grasp-aligned crops with their grasp depth and label, filtered by object
// and label, from the dataset the server was started with.
import { api, ApiError } from './api.js';
import { depthRange, depthToImageData } from './colormap.js';
import { escapeHtml } from './plan-view.js';

interface CropItem {
  index: number;
  object: number;
  label: 0 | 1;
  robustEpsilon: number;
  depth: number;
  crop: string;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const PAGE = 48;

export class DatasetView {
  private offset = 0;
  private total = 0;
  private loaded = false;

  constructor() {
    $('prev').addEventListener('click', () => void this.load(Math.max(0, this.offset - PAGE)));
    $('next').addEventListener(
      'click',
      () => void this.load(this.offset + PAGE < this.total ? this.offset + PAGE : this.offset),
    );
    for (const id of ['filter-object', 'filter-label']) $(id).addEventListener('change', () => void this.load(0));
  }

  async show(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    try {
      const s = await (await api('v1/dataset')).json();
      $('dataset-summary').textContent =
        `${s.datapoints.toLocaleString()} datapoints · ${s.objects} objects · ${((100 * s.positives) / Math.max(1, s.datapoints)).toFixed(1)} % positive (robust ε > ${s.threshold})`;
      await this.load(0);
    } catch (e) {
      this.loaded = false;
      $('dataset-summary').textContent =
        e instanceof ApiError && e.status === 404
          ? 'No dataset: run `dexnet view <dataset-folder>`.'
          : (e as Error).message;
    }
  }

  private async load(offset: number): Promise<void> {
    const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE) });
    const object = $<HTMLInputElement>('filter-object').value;
    const label = $<HTMLSelectElement>('filter-label').value;
    if (object !== '') query.set('object', object);
    if (label) query.set('label', label);
    const page = await (await api(`v1/dataset/crops?${query}`)).json();
    this.offset = offset;
    this.total = page.total;
    $('page-info').textContent = page.total
      ? `${offset + 1}–${offset + page.items.length} of ${page.total.toLocaleString()}`
      : 'no matches';
    const grid = $('crops');
    grid.replaceChildren(...page.items.map((item: CropItem) => card(item, page.cropSize)));
  }
}

function card(item: CropItem, size: number): HTMLElement {
  const bytes = Uint8Array.from(atob(item.crop), (c) => c.charCodeAt(0));
  const crop = new Float32Array(bytes.buffer);
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = size;
  // Each crop on its own range: the depth differences across the object are centimetres.
  canvas.getContext('2d')!.putImageData(depthToImageData(crop, size, size, depthRange(crop)), 0, 0);
  const div = document.createElement('div');
  div.className = `crop ${item.label ? 'positive' : 'negative'}`;
  div.append(canvas);
  div.insertAdjacentHTML(
    'beforeend',
    `<div>#${item.index} · object ${item.object}</div><div>${item.label ? 'positive' : 'negative'} (ε ${item.robustEpsilon.toFixed(4)})</div><div>grasp depth ${escapeHtml(item.depth.toFixed(3))} m</div>`,
  );
  return div;
}
