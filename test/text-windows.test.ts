/**
 * Window and batch planning (pure functions): windows respect the model's
 * length with special tokens added to each, weights are content-token counts,
 * and batches are length-sorted with right padding and masks.
 */
import { describe, expect, it } from 'vitest';
import { normaliseText, textHash } from '../src/text/normalize.js';
import { maskedMeanPool } from '../src/text/pooling.js';
import { buildWindows, makeBatch, planBatches } from '../src/text/windows.js';

describe('buildWindows', () => {
  it('cuts long content into windows that fit maxTokens with the special tokens around each', () => {
    const content = [Array.from({ length: 10 }, (_, i) => 100 + i), [7], []];
    const w = buildWindows(content, { maxTokens: 6, prefix: [1], suffix: [2] });
    // 4 content ids per window: 10 → 4 + 4 + 2; [7] → 1; [] → specials only.
    expect(Array.from(w.textOf)).toEqual([0, 0, 0, 1, 2]);
    expect(Array.from(w.weight)).toEqual([4, 4, 2, 1, 1]);
    const win = (k: number): number[] => Array.from(w.ids.subarray(w.offsets[k]!, w.offsets[k + 1]!));
    expect(win(0)).toEqual([1, 100, 101, 102, 103, 2]);
    expect(win(2)).toEqual([1, 108, 109, 2]);
    expect(win(4)).toEqual([1, 2]);
  });

  it('skips texts with no tokens when the model has no special tokens', () => {
    const w = buildWindows([[], [5, 6]], { maxTokens: 128, prefix: [], suffix: [] });
    expect(Array.from(w.textOf)).toEqual([1]);
  });
});

describe('planBatches / makeBatch', () => {
  it('sorts windows longest first and pads on the right with a zero mask', () => {
    const w = buildWindows([[1], [1, 2, 3], [1, 2]], { maxTokens: 128, prefix: [], suffix: [] });
    const plan = planBatches(w, 2);
    expect(plan.map((b) => Array.from(b))).toEqual([[1, 2], [0]]);
    expect(planBatches(w, 2, false).map((b) => Array.from(b))).toEqual([[0, 1], [2]]);
    const lengths = new Int32Array(2);
    const b = makeBatch(w, plan[0]!, lengths);
    expect([b.rows, b.cols]).toEqual([2, 3]);
    expect(Array.from(b.ids, Number)).toEqual([1, 2, 3, 1, 2, 0]);
    expect(Array.from(b.mask, Number)).toEqual([1, 1, 1, 1, 1, 0]);
    expect(Array.from(lengths)).toEqual([3, 2]);
  });
});

describe('maskedMeanPool', () => {
  it('averages only the real tokens of each row', () => {
    // 2 rows x 3 positions x 2 dims; row 1 has 1 real token, the rest is padding garbage.
    const states = Float32Array.of(1, 2, 3, 4, 5, 6, 10, 20, 99, 99, 99, 99);
    const out = new Float32Array(4);
    maskedMeanPool(states, 2, 3, 2, Int32Array.of(3, 1), out);
    expect(Array.from(out)).toEqual([3, 4, 10, 20]);
  });
});

describe('normaliseText / textHash', () => {
  it('applies NFKC, collapses whitespace and trims before hashing', () => {
    expect(normaliseText('  ﬁne\u00a0 tone\n\tok ')).toBe('fine tone ok');
    expect(textHash(normaliseText('fine \u3000 tone ok'))).toBe(textHash('fine tone ok'));
    expect(textHash('a')).toBe('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
  });
});
