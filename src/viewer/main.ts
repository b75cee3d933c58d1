// The viewer's entry: one page per hash (#plan, #dataset, #model), each built the first time it is shown.
import { setupApiKey } from './api.js';
import { DatasetView } from './dataset-view.js';
import { ModelView } from './model-view.js';
import { PlanView } from './plan-view.js';

setupApiKey();
new PlanView();
const dataset = new DatasetView();
const model = new ModelView();

function route(): void {
  const page = ['plan', 'dataset', 'model'].find((p) => location.hash === `#${p}`) ?? 'plan';
  for (const section of document.querySelectorAll<HTMLElement>('.page')) section.hidden = section.id !== `page-${page}`;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('nav a[data-page]'))
    a.classList.toggle('active', a.dataset.page === page);
  if (page === 'dataset') void dataset.show();
  if (page === 'model')
    void model.show().catch((e: Error) => (document.getElementById('model')!.textContent = e.message));
}
window.addEventListener('hashchange', route);
route();
