import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetBrowser } from '../../src/dataset/dataset-browser.js';
import { writeKnownDataset } from './dataset-helpers.js';
import { tempDirs } from '../helpers/temp-dir.js';

const tempDir = tempDirs('browser');
const dir = tempDir();

beforeAll(async () => {
  await writeKnownDataset(dir, [10, 10, 5]);
});

describe('DatasetBrowser', () => {
  it('summarises sizes, objects and positives', async () => {
    const b = await DatasetBrowser.open(dir);
    expect(b.summary()).toEqual({ datapoints: 25, objects: 3, positives: 7, threshold: 0.002, cropSize: 32 });
  });

  it('pages across shard boundaries with each crop, depth and label', async () => {
    const b = await DatasetBrowser.open(dir);
    const page = await b.page({}, 8, 5);
    expect(page.total).toBe(25);
    expect(page.items.map((c) => c.index)).toEqual([8, 9, 10, 11, 12]);
    for (const c of page.items) {
      expect(c.object).toBe(c.index % 3);
      expect(c.label).toBe(c.index % 4 === 0 ? 1 : 0);
      expect(c.depth).toBeCloseTo(0.6 + c.index / 1000, 6);
      expect(c.crop).toHaveLength(32 * 32);
      expect(c.crop[500]).toBeCloseTo(c.index / 100, 6);
    }
    expect((await b.page({}, 24, 10)).items.map((c) => c.index)).toEqual([24]);
    expect((await b.page({}, 30, 10)).items).toEqual([]);
  });

  it('filters by object and by label', async () => {
    const b = await DatasetBrowser.open(dir);
    const obj1 = await b.page({ object: 1 }, 0, 100);
    expect(obj1.items.map((c) => c.index)).toEqual([1, 4, 7, 10, 13, 16, 19, 22]);
    expect(obj1.total).toBe(8);
    const pos = await b.page({ label: 'positive' }, 2, 3);
    expect(pos.total).toBe(7);
    expect(pos.items.map((c) => c.index)).toEqual([8, 12, 16]);
    const both = await b.page({ object: 0, label: 'negative' }, 0, 100);
    expect(both.items.map((c) => c.index)).toEqual([3, 6, 9, 15, 18, 21]);
  });

  it('refuses a folder that is not a dataset, naming it', async () => {
    await expect(DatasetBrowser.open(join(dir, 'nope'))).rejects.toThrow(/nope/);
  });
});
