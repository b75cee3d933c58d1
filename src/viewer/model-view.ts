// The model page: architecture, validation metrics, training settings and the report's plots
// (loss, error, ROC, precision–recall) of the model the server plans with.
import { api } from './api.js';
import { escapeHtml } from './plan-view.js';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

const table = (rows: [string, unknown][]) =>
  `<table>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'number' ? (Number.isInteger(v) ? v.toLocaleString() : v.toFixed(4)) : (JSON.stringify(v) ?? ''))}</td></tr>`).join('')}</table>`;

export class ModelView {
  private loaded = false;

  async show(): Promise<void> {
    if (this.loaded) return;
    this.loaded = true;
    const m = await (await api('v1/model')).json();
    const validation = (m.metrics.validation ?? m.report?.validation ?? {}) as Record<string, unknown>;
    const arch = m.architecture as {
      conv: { filterSize: number; numFilters: number; poolSize: number }[];
      fc: number[];
      imHeight: number;
      imWidth: number;
    };
    const layers = [
      `${arch.imHeight}×${arch.imWidth} depth crop`,
      ...arch.conv.map(
        (c) => `conv ${c.filterSize}×${c.filterSize}×${c.numFilters}${c.poolSize > 1 ? ` + pool ${c.poolSize}` : ''}`,
      ),
      ...arch.fc.map((n) => `fc ${n}`),
    ].join(' → ');
    const keep = [
      'accuracy',
      'errorRate',
      'majorityErrorRate',
      'precision',
      'recall',
      'averagePrecision',
      'rocAuc',
      'n',
      'positives',
    ];
    const history = (m.report?.history ?? []) as {
      epoch: number;
      trainLoss: number;
      valLoss: number;
      valErrorRate: number;
    }[];
    $('model').innerHTML = `
      <h2>Model <code>${escapeHtml(m.name)}</code></h2>
      <p>${escapeHtml(layers)}</p>
      <h3>Validation</h3>${table(keep.filter((k) => k in validation).map((k) => [k, validation[k]]))}
      <h3>Training</h3>${table(Object.entries(m.training).filter(([, v]) => typeof v !== 'object'))}
      ${
        history.length
          ? `<h3>Per epoch</h3><table><tr><th>epoch</th><th>train loss</th><th>val loss</th><th>val error</th></tr>${history
              .map(
                (h) =>
                  `<tr><td>${h.epoch}</td><td>${h.trainLoss.toFixed(4)}</td><td>${h.valLoss.toFixed(4)}</td><td>${h.valErrorRate.toFixed(4)}</td></tr>`,
              )
              .join('')}</table>`
          : ''
      }
      <h3>Curves</h3><div class="plots" id="plots"></div>`;
    // Fetched rather than <img src>, so the API key header goes along when the server needs one.
    for (const name of m.plots as string[]) {
      const img = document.createElement('img');
      img.alt = name;
      img.src = URL.createObjectURL(await (await api(`v1/model/plots/${name}`)).blob());
      $('plots').append(img);
    }
  }
}
