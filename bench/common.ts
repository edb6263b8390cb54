/** Small helpers shared by the end-to-end benches. */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedData = (...parts: string[]): string => resolve(repoRoot, '../shared/data', ...parts);

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function seconds(start: bigint): number {
  return Math.round((Number(process.hrtime.bigint() - start) / 1e9) * 1000) / 1000;
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; sec: number }> {
  const start = process.hrtime.bigint();
  const value = await work();
  return { value, sec: seconds(start) };
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export function load(): number {
  return Math.round(loadavg()[0] * 100) / 100;
}
