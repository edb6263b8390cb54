/**
 * embed-graph end to end on Cora's edge list: edge list in, vectors out keyed
 * by the input's node ids, per-phase timings, both word2vec formats, and the
 * yargs command wiring (--json output).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs from 'yargs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { command } from '../src/cli/embed-graph.js';
import { globalOptions } from '../src/cli/options.js';
import { embedEdgeListFiles } from '../src/embed/node2vec.js';
import { readWord2Vec } from '../src/export/word2vec.js';
import { buildEdgeListCsr, buildEdgeTableCsr } from '../src/graph/build.js';
import { readEdgeTable, readInputs, type EdgeListData } from '../src/ingest/index.js';
import { OptionError } from '../src/util/errors.js';
import { coraCites } from './sgns-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'graphprof-embed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const coraIds = new Set(
  readFileSync(coraCites, 'utf8')
    .split('\n')
    .flatMap((l) => l.trim().split(/\s+/))
    .filter((s) => s !== ''),
);
const quick = { walk: { walkLength: 20, walksPerNode: 2 }, sgns: { dim: 16, window: 5, threads: 1, seed: 4 } };

describe('embed-graph', () => {
  it('reads edges into typed arrays and builds the same CSR as the record path, repeats merged', async () => {
    const records = (await readInputs([coraCites])) as EdgeListData;
    const { table } = await readEdgeTable([coraCites]);
    expect(table.count).toBe(records.edges.length);
    for (const directed of [false, true]) {
      const a = buildEdgeListCsr(records, { directed });
      const b = buildEdgeTableCsr(table, { directed });
      expect(b.keys).toEqual(a.keys);
      expect(Array.from(b.offsets, Number)).toEqual(Array.from(a.offsets, Number));
      expect(Array.from(b.targets)).toEqual(Array.from(a.targets));
      expect(Array.from(b.weights)).toEqual(Array.from(a.weights));
    }
    // Cora lists some citations both ways: merged undirected, kept directed.
    const undirected = buildEdgeTableCsr(table);
    expect(undirected.targets.length).toBeLessThan(2 * table.count);
    expect(buildEdgeTableCsr(table, { multi: true }).targets.length).toBe(2 * table.count);
  });

  it('embeds every node of an edge list under its input id, with per-phase timings', async () => {
    const out = join(dir, 'cora.vec');
    const { summary } = await embedEdgeListFiles({ files: [coraCites], out, ...quick });
    expect(summary.nodes).toBe(2708);
    expect(Object.keys(summary.timings)).toEqual(['read', 'graph', 'walk', 'train', 'write']);
    // A small corpus gets the "auto" schedule's extra passes.
    expect(summary.epochs).toBe(5);
    expect(summary.sgns.words).toBe(summary.tokens * summary.epochs);
    const table = await readWord2Vec(out);
    expect(table.dim).toBe(16);
    expect(new Set(table.keys)).toEqual(coraIds);
  });

  it('writes word2vec binary and is reproducible with one thread', async () => {
    const a = join(dir, 'a.bin');
    const b = join(dir, 'b.bin');
    await embedEdgeListFiles({ files: [coraCites], out: a, format: 'word2vec-bin', ...quick });
    await embedEdgeListFiles({ files: [coraCites], out: b, format: 'word2vec-bin', ...quick });
    expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
    const table = await readWord2Vec(a, { binary: true });
    expect(table.keys.length).toBe(2708);
  });

  it('checks skip-gram options before walking', async () => {
    await expect(embedEdgeListFiles({ files: [coraCites], sgns: { dim: -1 } })).rejects.toBeInstanceOf(OptionError);
  });

  it('runs as a yargs command and prints a JSON summary', async () => {
    const out = join(dir, 'cli.vec');
    const writes: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    try {
      await globalOptions(yargs([]))
        .command(command)
        .strict()
        .parseAsync(['embed-graph', '-i', coraCites, '-o', out, '--dim', '8', '--walks', '1', '--walk-length', '10', '--threads', '1', '--json', '--quiet']);
    } finally {
      spy.mockRestore();
    }
    const summary = JSON.parse(writes.join('')) as { nodes: number; dim: number; timings: Record<string, number> };
    expect(summary.nodes).toBe(2708);
    expect(summary.dim).toBe(8);
    expect(summary.timings.train).toBeGreaterThan(0);
    expect((await readWord2Vec(out)).keys.length).toBe(2708);
  });
});
