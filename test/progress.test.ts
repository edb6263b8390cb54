/**
 * Phase progress on a terminal: a phase silent for two seconds gets an
 * elapsed-time line that keeps ticking while the main thread is blocked, and
 * is cleared before anything else is written; notes wait for the line.
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createPhaseProgress, spinnerDelayMs } from '../src/util/progress.js';
import { PhaseTimer } from '../src/util/timing.js';

const dir = mkdtempSync(join(tmpdir(), 'graphprof-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A terminal stand-in: isTTY, and a real file descriptor the spinner thread writes to. */
function terminal(name: string) {
  const path = join(dir, name);
  const fd = openSync(path, 'w');
  const stream = { isTTY: true, fd, write: (s: string) => (writeSync(fd, s), true) } as unknown as NodeJS.WriteStream;
  return { stream, text: () => (closeSync(fd), readFileSync(path, 'utf8')) };
}

/** Runs `draw` with progress on (CI unset) against a fresh terminal stand-in; returns what reached it. */
function onTerminal(name: string, draw: (stream: NodeJS.WriteStream) => void): string {
  const saved = process.env.CI;
  delete process.env.CI;
  const t = terminal(name);
  try {
    draw(t.stream);
  } finally {
    if (saved !== undefined) process.env.CI = saved;
  }
  return t.text();
}

describe('phase progress', () => {
  it('shows elapsed seconds for a phase that blocks the main thread, then clears the line before a held note', () => {
    const out = onTerminal('busy.txt', (stream) => {
      const p = createPhaseProgress({ stream });
      p.phase('segments');
      const start = Date.now();
      while (Date.now() - start < spinnerDelayMs + 700) {
        // synchronous work, as the silhouette search is
      }
      p.note('k chosen');
      p.stop();
    });
    expect(out).toMatch(/\rsegments +\S 2 s\x1b\[K/);
    expect(out.endsWith('\r\x1b[Kk chosen\n')).toBe(true);
  });

  it('draws nothing for a phase that reports before two seconds', () => {
    const out = onTerminal('quick.txt', (stream) => {
      const p = createPhaseProgress({ stream });
      p.phase('walks');
      p.stop();
    });
    expect(out).not.toContain('walks');
  });

  it("opens each timed phase, keeps the open phase's bar when a job's timer names it again, and draws nothing from a closed phase's callback", () => {
    const opened: string[] = [];
    const out = onTerminal('timer.txt', (stream) => {
      const p = createPhaseProgress({ stream });
      const read = p.phase('read'); // handed to a reader before its phase is timed, as withJob does
      const timer = new PhaseTimer((name) => (opened.push(name), p.phase(name)));
      timer.timeSync('read', () => read(50, 100, 'reviews.csv'));
      expect(p.phase('read')).toBe(read);
      timer.timeSync('fit', () => undefined);
      // A stale callback after its phase closed: before, it restarted its bar, which kept drawing after stop() and kept the process alive.
      read(100, 100, 'late');
      p.stop();
    });
    expect(opened).toEqual(['read', 'fit']);
    expect(out).toContain('reviews.csv');
    expect(out).not.toContain('late');
  });
});
