/**
 * Headless Chromium for the report's browser test and screenshot bench:
 * the system `chromium` (Debian package) driven by playwright-core, with a
 * fresh profile and every background network feature off, so opening a
 * report proves it needs nothing beyond the file.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const chromiumInstallHint = 'install it with `apt-get update && apt-get install -y chromium` (or set GRAPHPROF_CHROMIUM to a Chromium binary)';

const candidates = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

/** The Chromium binary to use, or null when none is installed. */
export function findChromium(): string | null {
  const env = process.env.GRAPHPROF_CHROMIUM;
  if (env) return existsSync(env) ? env : null;
  return candidates.find((p) => existsSync(p)) ?? null;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  /** Requests the page made other than the file itself. */
  requests: string[];
  close(): Promise<void>;
}

/** Opens a local HTML file in a fresh headless Chromium profile. */
export async function openInChromium(file: string, viewport = { width: 1280, height: 900 }): Promise<OpenedPage> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(`openInChromium: no Chromium found; ${chromiumInstallHint}`);
  const profile = mkdtempSync(join(tmpdir(), 'graphprof-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      viewport,
      deviceScaleFactor: 1,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const errors: string[] = [];
    const requests: string[] = [];
    const url = `file://${file}`;
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      if (r.url() !== url) requests.push(r.url());
    });
    await page.goto(url, { waitUntil: 'load' });
    const ctx = context;
    return {
      page,
      errors,
      requests,
      close: async () => {
        await ctx.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}
