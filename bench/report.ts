/**
 * The report bench: builds the HTML report of a trained database, opens it
 * in headless Chromium, checks it drew what it should, and saves the README
 * screenshots. Figures: file size and the map's bytes per drawn user
 * (against the per-user share of the 2 MB the README promises at 10k users), build time (against
 * the time to read the run from SQLite, the floor of any report), and the
 * browser's load time.
 *
 *   node dist/bench/report.js --db graphprof.db [--run N] [--img docs/img] [--html bench/out/report.html]
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadReportData } from '../src/report/data.js';
import { buildReport, writeReport } from '../src/report/index.js';
import { openDatabase } from '../src/store/store.js';
import { findChromium, chromiumInstallHint, openInChromium } from './report-browser.js';

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'graphprof.db' },
    run: { type: 'string', default: 'latest' },
    img: { type: 'string' },
    html: { type: 'string', default: 'bench/out/report.html' },
  },
});

/** Screenshot budget per PNG in docs/img. */
const pngBudget = 300 * 1024;
/** The README's size promise: under 2 MB for 10,000 users. */
const bytesPerUserBudget = (2 * 1024 * 1024) / 10_000;

function ms(start: bigint): number {
  return Math.round(Number(process.hrtime.bigint() - start) / 1e6);
}

async function main(): Promise<void> {
  const run = values.run === 'latest' ? 'latest' : Number(values.run);
  const db = openDatabase(resolve(values.db as string), { readonly: true });
  let t = process.hrtime.bigint();
  loadReportData(db, run);
  const readMs = ms(t);
  t = process.hrtime.bigint();
  const { html, stats } = buildReport(db, { run });
  const buildMs = ms(t);
  db.close();
  const file = resolve(values.html as string);
  mkdirSync(dirname(file), { recursive: true });
  const bytes = writeReport(file, html);
  console.log(`report of run ${stats.runId}: ${stats.users} users (${stats.mapPoints} on the map), ${stats.segments} segments, ${stats.graphNodes} graph nodes, ${stats.graphEdges} links`);
  const mapStart = html.indexOf('<svg class="chart map"');
  const mapBytes = Buffer.byteLength(html.slice(mapStart, html.indexOf('</svg>', mapStart)));
  const mapBytesPerPoint = Math.round(mapBytes / Math.max(1, stats.mapPoints));
  console.log(`file ${file}: ${(bytes / 1024).toFixed(1)} KB; the map takes ${mapBytesPerPoint} bytes per user drawn (budget: ${bytesPerUserBudget.toFixed(0)} bytes/user for the whole file at 10k users)`);
  console.log(`build ${buildMs} ms (reading the run alone: ${readMs} ms)`);
  const figures: Record<string, unknown> = { runId: stats.runId, users: stats.users, mapPoints: stats.mapPoints, segments: stats.segments, bytes, mapBytesPerPoint, bytesPerUserBudget: Math.round(bytesPerUserBudget), buildMs, readMs };

  if (!findChromium()) {
    console.log(`no Chromium: browser figures and screenshots skipped; ${chromiumInstallHint}`);
  } else {
    t = process.hrtime.bigint();
    const page = await openInChromium(file, { width: 1280, height: 860 });
    const loadMs = ms(t);
    try {
      const marks = await page.page.locator('[data-chart="map"] .pt').count();
      const nodes = await page.page.locator('[data-chart="graph"] [data-node]').count();
      console.log(`Chromium: opened in ${loadMs} ms (launch included), ${marks} map marks, ${nodes} graph nodes, ${page.errors.length} console errors, ${page.requests.length} requests`);
      if (marks !== stats.mapPoints || nodes !== stats.graphNodes || page.errors.length || page.requests.length) {
        throw new Error(`bench/report: the page does not match the report (${JSON.stringify({ marks, nodes, errors: page.errors, requests: page.requests })})`);
      }
      Object.assign(figures, { browserLoadMs: loadMs, consoleErrors: page.errors.length });
      if (values.img) {
        const dir = resolve(values.img);
        mkdirSync(dir, { recursive: true });
        const shots: [string, string | null][] = [
          ['report-overview.png', null],
          ['report-segments.png', '#segments'],
          ['report-map.png', '#map figure'],
          ['report-graph.png', '#graph figure'],
        ];
        const sizes: Record<string, number> = {};
        for (const [name, selector] of shots) {
          const path = join(dir, name);
          if (selector) await page.page.locator(selector).screenshot({ path });
          else await page.page.screenshot({ path });
          sizes[name] = statSync(path).size;
          const flag = sizes[name] > pngBudget ? '  OVER the 300 KB budget' : '';
          console.log(`screenshot ${path}: ${(sizes[name] / 1024).toFixed(0)} KB${flag}`);
        }
        figures.screenshots = sizes;
        figures.screenshotBudget = pngBudget;
      }
    } finally {
      await page.close();
    }
  }
  console.log(JSON.stringify(figures));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
