/**
 * The report in a real browser: headless Chromium (the Debian `chromium`
 * package) via playwright-core. Skipped, with the install command in the
 * test name, where no Chromium is installed.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumInstallHint, findChromium, openInChromium, type OpenedPage } from '../bench/report-browser.js';
import { buildReport, writeReport } from '../src/report/index.js';
import { openDatabase } from '../src/store/store.js';
import { writeReportFixture, type Fixture } from './helpers/report-fixture.js';
import { repoRoot } from './helpers/paths.js';

const chromiumPath = findChromium();
const title = chromiumPath ? 'report in headless Chromium' : `report in headless Chromium (skipped: no Chromium; ${chromiumInstallHint})`;
if (!chromiumPath) console.warn(`test/report-browser.test.ts skipped: no Chromium found; ${chromiumInstallHint}`);

/** Where the test leaves its screenshot (repo-root tmp/, ignored by git). */
const artifacts = join(repoRoot, 'tmp', 'report-browser');

describe.skipIf(!chromiumPath)(title, () => {
  let dir: string;
  let file: string;
  let fixture: Fixture;
  let opened: OpenedPage;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'graphprof-report-browser-'));
    const db = openDatabase(join(dir, 'g.db'));
    // The size the report promises to stay readable at: 10 segments, 10,000 users.
    fixture = writeReportFixture(db, { users: 10_000, segments: 10, withEval: true, seed: 11 });
    const { html } = buildReport(db);
    db.close();
    file = join(dir, 'report.html');
    writeReport(file, html);
    opened = await openInChromium(file);
  });
  afterAll(async () => {
    await opened?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads without console errors and without fetching anything', () => {
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
    expect(statSync(file).size).toBeLessThan(2 * 1024 * 1024);
  });

  it('draws every user on the map, coloured by segment', async () => {
    const page = opened.page;
    expect(await page.locator('[data-chart="map"] .pt').count()).toBe(10_000);
    for (let s = 0; s < 10; s++) expect(await page.locator(`[data-chart="map"] .pt.s${s}`).count()).toBe(1000);
    const fills = await page.$$eval('[data-chart="map"] .pt.s0, [data-chart="map"] .pt.s1', (els) => [...new Set(els.map((e) => getComputedStyle(e).fill))]);
    expect(fills).toHaveLength(2);
    const box = await page.locator('[data-chart="map"]').boundingBox();
    expect(box?.width).toBeGreaterThan(400);
    expect(box?.height).toBeGreaterThan(400);
  });

  it('draws the segment graph: every segment, product and link', async () => {
    const page = opened.page;
    expect(await page.locator('[data-chart="graph"] [data-node="segment"]').count()).toBe(10);
    expect(await page.locator('[data-chart="graph"] [data-node="product"]').count()).toBe(fixture.graphProducts);
    expect(await page.locator('[data-chart="graph"] [data-edge]').count()).toBe(fixture.graphEdges);
    // Laid out, not piled up: segment discs are spread over the picture.
    const centres = await page.$$eval('[data-chart="graph"] [data-node="segment"] circle', (els) => els.map((e) => [Number(e.getAttribute('cx')), Number(e.getAttribute('cy'))]));
    const xs = centres.map((c) => c[0]);
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(300);
  });

  it('shows the tables, the eval figures and the snippets', async () => {
    const page = opened.page;
    expect(await page.locator('[data-segment-row]').count()).toBe(10);
    expect(await page.locator('[data-segment-card]').count()).toBe(10);
    expect(await page.locator('[data-segment-card] blockquote').count()).toBe(30);
    await expect(page.locator('#summary').innerText()).resolves.toContain('RECALL@10');
  });

  it('shows a tooltip with the user id and segment on hover, and picks a segment out from the legend', async () => {
    const page = opened.page;
    const mark = page.locator('[data-chart="map"] .pt.s3').first();
    const user = await mark.getAttribute('data-u');
    await mark.scrollIntoViewIfNeeded();
    await mark.hover({ force: true });
    const tip = page.locator('.tip');
    await expect(tip.isVisible()).resolves.toBe(true);
    const text = await tip.innerText();
    expect(text).toContain(`User ${user}`);
    expect(text).toContain('Segment 3');
    await page.locator('[data-legend-segment="3"]').click();
    await expect(page.locator('[data-chart="map"]').getAttribute('data-focus')).resolves.toBe('3');
    const dimmed = await page.$eval('[data-chart="map"] .pt.s4', (e) => Number(getComputedStyle(e).fillOpacity));
    const kept = await page.$eval('[data-chart="map"] .pt.s3', (e) => Number(getComputedStyle(e).fillOpacity));
    expect(dimmed).toBeLessThan(0.2);
    expect(kept).toBeGreaterThan(0.5);
    await page.locator('[data-legend-segment="3"]').click();
    await expect(page.locator('[data-chart="map"]').getAttribute('data-focus')).resolves.toBeNull();
    expect(opened.errors).toEqual([]);
  });

  it('saves PNG screenshots (full page, map, graph)', async () => {
    mkdirSync(artifacts, { recursive: true });
    const path = join(artifacts, 'report-10k.png');
    await opened.page.mouse.move(0, 0);
    await opened.page.screenshot({ path, fullPage: true });
    await opened.page.locator('#map figure').screenshot({ path: join(artifacts, 'report-10k-map.png') });
    await opened.page.locator('#graph figure').screenshot({ path: join(artifacts, 'report-10k-graph.png') });
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(50_000);
  });
});
