/** Tables for people: aligned by display width (CJK), columns empty in every row left out, counts with the right noun. */
import { describe, expect, it, vi } from 'vitest';
import { printTable } from '../src/cli/output.js';
import { counted } from '../src/util/plural.js';

function table(rows: Record<string, unknown>[]): string[] {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => (out.push(String(c)), true));
  try {
    printTable(rows);
  } finally {
    spy.mockRestore();
  }
  return out.join('').trimEnd().split('\n');
}

describe('printTable', () => {
  it('aligns columns by display width, so double-width titles keep the next column straight', () => {
    const lines = table([
      { product: 'P1', title: '日本のギター弦', score: 0.5 },
      { product: 'P22', title: 'guitar strings', score: 0.25 },
    ]);
    // The last column starts at the same display column on every line: "product" 7 + 2 + the title's 14 + 2.
    const wide = (s: string): number => [...s].reduce((w, ch) => w + (/[\u3000-\u9fff]/.test(ch) ? 2 : 1), 0);
    const at = lines.map((l) => wide(l.slice(0, l.lastIndexOf(' ') + 1)));
    expect(at).toEqual([25, 25, 25, 25]);
  });

  it('leaves out a column that is empty in every row', () => {
    const lines = table([
      { product: 'P1', title: '', score: 1 },
      { product: 'P2', title: null, score: 2 },
    ]);
    expect(lines[0]).toBe('product  score');
  });
});

describe('counted', () => {
  it('says "1 review" and "2 reviews"', () => {
    expect(counted(1, 'review')).toBe('1 review');
    expect(counted(2, 'review')).toBe('2 reviews');
    expect(counted(0, 'user')).toBe('0 users');
    expect(counted(12345, 'user', (n) => n.toLocaleString('en-US'))).toBe('12,345 users');
  });
});
