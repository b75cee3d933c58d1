// The viewer in a real browser: Debian's Chromium driven by playwright-core against the real server.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPng } from '../../src/image/png.js';
import { saveModel } from '../../src/model/model-io.js';
import { randomSuctionModel } from '../helpers/suction-scenes.js';
import type { DexnetServer } from '../../src/server/app.js';
import { writeKnownDataset } from '../dataset/dataset-helpers.js';
import { chromium as chromiumRequirement, chromiumPath, unmet } from '../helpers/requirements.js';
import { tempDirs } from '../helpers/temp-dir.js';
import { exampleJson, postJson, startTestServer } from '../server/server-helpers.js';

const ARTIFACTS = 'test-artifacts';
const tempDir = tempDirs('viewer');

/** Distinct colours in an RGBA buffer: a blank or single-colour canvas has one or two. */
function distinctColours(rgba: ArrayLike<number>, channels = 4): number {
  const seen = new Set<number>();
  for (let i = 0; i < rgba.length; i += channels) seen.add((rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]);
  return seen.size;
}

describe.skipIf(unmet('the viewer in a browser', chromiumRequirement))('viewer (Chromium)', () => {
  let server: DexnetServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const dataset = join(tempDir(), 'dataset');
    await writeKnownDataset(dataset, [30, 20]);
    server = await startTestServer({ datasetDir: dataset });
    // SwiftShader gives headless Chromium WebGL without a GPU.
    browser = await chromium.launch({
      executablePath: chromiumPath()!,
      args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
    });
    page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('console', (m) => (m.type() === 'error' ? pageErrors.push(m.text()) : undefined));
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("loads the example, plans, shows each grasp's q and draws the image and the cloud", async () => {
    await page.goto(`${server.url}/`);
    await page.click('#load-example');
    await page.waitForSelector('#plan:not([disabled])');
    await expect(page.textContent('#inputs')).resolves.toContain('640×480');
    // Ranking, the cheapest policy that draws several grasps: the page's plumbing is under test, not the policy.
    await page.selectOption('#policy', 'ranking');
    await page.click('#plan');
    await page.waitForSelector('#grasps li .q', { timeout: 60_000 });

    // The q the page shows is the service's q for the same request.
    const expected = await postJson(
      server.url,
      exampleJson({ topK: 3, seed: 0, policy: 'ranking', depthScale: 0.001 }),
    );
    const shown = await page.$$eval('#grasps li .q', (els) => els.map((e) => e.textContent));
    expect(shown).toEqual(expected.json.grasps.map((g: { q: number }) => g.q.toFixed(3)));

    // The depth image is colour-mapped (many colours, little black) with the grasps over it.
    const image = await page.$eval('#image', (c) => {
      // Runs in the page; the test's tsconfig has no DOM types, hence the loose type.
      const canvas = c as unknown as {
        width: number;
        height: number;
        getContext(kind: '2d'): {
          getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
        };
      };
      return Array.from(canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data);
    });
    expect(distinctColours(image)).toBeGreaterThan(100);
    // The 3-D view rendered the cloud and grippers (WebGL, so read it back through a screenshot).
    const cloud = readPng(await page.locator('#cloud canvas').screenshot(), 'cloud');
    expect(distinctColours(cloud.data, cloud.channels)).toBeGreaterThan(50);

    // Hovering the best grasp's centre shows its numbers.
    const best = expected.json.grasps[0];
    const box = (await page.locator('#image').boundingBox())!;
    await page.mouse.move(box.x + (best.center.x / 640) * box.width, box.y + (best.center.y / 480) * box.height);
    await expect(page.textContent('#tooltip')).resolves.toContain(`q        ${best.q.toFixed(4)}`);
    await expect(page.isVisible('#tooltip')).resolves.toBe(true);

    writeFileSync(join(ARTIFACTS, 'viewer-plan.png'), await page.screenshot({ fullPage: true }));
    expect(pageErrors).toEqual([]);
  });

  it('plans suction on a service with a suction model: the cups, their q and approach, in the image and the cloud', async () => {
    const model = join(tempDir(), 'suction-model');
    // Random weights: the page's plumbing is under test, not the grasps.
    await saveModel(model, randomSuctionModel(3));
    const suction = await startTestServer({ modelDir: model });
    try {
      await page.goto(`${suction.url}/`);
      await page.click('#load-example');
      await page.waitForSelector('#plan:not([disabled])');
      await page.selectOption('#policy', 'ranking');
      await page.selectOption('#gripper', 'suction');
      const before = readPng(await page.locator('#image').screenshot(), 'before');
      await page.click('#plan');
      await page.waitForSelector('#grasps li .q', { timeout: 60_000 });
      const request = { topK: 3, seed: 0, policy: 'ranking', depthScale: 0.001, gripper: 'suction' };
      const expected = await postJson(suction.url, exampleJson(request));
      expect(expected.json.gripper).toBe('suction');
      const shown = await page.$$eval('#grasps li .q', (els) => els.map((e) => e.textContent));
      expect(shown).toEqual(expected.json.grasps.map((g: { q: number }) => g.q.toFixed(3)));
      // The cup's rim is drawn: the image changed on the circle around the best target.
      const after = readPng(await page.locator('#image').screenshot(), 'after');
      const best = expected.json.grasps[0];
      const sx = after.width / 640,
        sy = after.height / 480;
      let changed = 0;
      for (let k = 0; k < 8; k++) {
        const t = (k * Math.PI) / 4;
        const x = Math.round((best.center.x + best.suction.cupRadiusPx * Math.cos(t)) * sx),
          y = Math.round((best.center.y + best.suction.cupRadiusPx * Math.sin(t)) * sy);
        const o = (y * after.width + x) * after.channels;
        if ([0, 1, 2].some((c) => after.data[o + c] !== before.data[o + c])) changed++;
      }
      expect(changed).toBeGreaterThanOrEqual(6);
      // Hovering the target names a suction grasp with its approach.
      const box = (await page.locator('#image').boundingBox())!;
      await page.mouse.move(box.x + (best.center.x / 640) * box.width, box.y + (best.center.y / 480) * box.height);
      const tip = await page.textContent('#tooltip');
      expect(tip).toContain('suction grasp #1');
      expect(tip).toContain(`q        ${best.q.toFixed(4)}`);
      expect(tip).toMatch(/approach .* from the optical axis/);
      const cloud = readPng(await page.locator('#cloud canvas').screenshot(), 'cloud');
      expect(distinctColours(cloud.data, cloud.channels)).toBeGreaterThan(50);
      writeFileSync(join(ARTIFACTS, 'viewer-suction.png'), await page.screenshot({ fullPage: true }));
      expect(pageErrors).toEqual([]);
    } finally {
      await suction.close();
    }
  });

  it('plans with both grippers on a service with --suction-model: each grasp named, best q first', async () => {
    const both = await startTestServer({ suctionModelDir: 'models/gqcnn-suction' });
    try {
      await page.goto(`${both.url}/`);
      await page.click('#load-example');
      await page.waitForSelector('#plan:not([disabled])');
      await page.selectOption('#policy', 'ranking');
      await page.selectOption('#gripper', 'both');
      await page.click('#plan');
      await page.waitForSelector('#grasps li .q', { timeout: 60_000 });
      const request = { topK: 3, seed: 0, policy: 'ranking', depthScale: 0.001, gripper: 'both' };
      const expected = await postJson(both.url, exampleJson(request));
      const shown = await page.$$eval('#grasps li .gripper', (els) => els.map((e) => e.textContent));
      expect(shown).toEqual(expected.json.grasps.map((g: { gripper: string }) => g.gripper));
      const q = await page.$$eval('#grasps li .q', (els) => els.map((e) => e.textContent));
      expect(q).toEqual(expected.json.grasps.map((g: { q: number }) => g.q.toFixed(3)));
      writeFileSync(join(ARTIFACTS, 'viewer-both.png'), await page.screenshot({ fullPage: true }));
      expect(pageErrors).toEqual([]);
    } finally {
      await both.close();
    }
  });

  it('browses the dataset by label and shows the model report', async () => {
    await page.goto(`${server.url}/#dataset`);
    await page.waitForSelector('.crop');
    await expect(page.textContent('#dataset-summary')).resolves.toContain('50 datapoints');
    await page.selectOption('#filter-label', 'positive');
    await page.waitForFunction(
      `document.querySelectorAll('.crop').length === 13 && !document.querySelector('.crop.negative')`,
    );
    await expect(page.textContent('#page-info')).resolves.toBe('1–13 of 13');
    writeFileSync(join(ARTIFACTS, 'viewer-dataset.png'), await page.screenshot({ fullPage: true }));

    await page.goto(`${server.url}/#model`);
    await page.waitForSelector('#plots img');
    await page.waitForFunction(
      `[...document.querySelectorAll('#plots img')].filter((i) => i.complete && i.naturalWidth > 0).length === 4`,
    );
    await expect(page.textContent('#model')).resolves.toContain('averagePrecision');
    writeFileSync(join(ARTIFACTS, 'viewer-model.png'), await page.screenshot({ fullPage: true }));
    expect(pageErrors).toEqual([]);
  });
});
