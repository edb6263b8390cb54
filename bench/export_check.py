#!/usr/bin/python3
"""Cross-check of `graphprof export` files with the Python tools people load them with.

Reads a manifest written by bench/export-check.ts (database path, and per export:
run id, kind, type, format, files), reads the expected rows straight from the
SQLite database with Python's sqlite3 (an independent reader of the store), and
loads every file with its usual reader:

  word2vec / word2vec-bin   gensim KeyedVectors.load_word2vec_format(binary=False/True)
  npy (+ .ids.tsv)          numpy.load
  csv, jsonl, tsv pair      csv, json and plain line parsing, floats through float() -> float32

Vectors must match bit for bit (float32 compared as uint32), ids, types and
segments exactly. Prints one line per file and a final JSON line; exits 1 on
any mismatch.

    /usr/bin/python3 bench/export_check.py MANIFEST.json
"""
import csv
import json
import sqlite3
import sys

import numpy as np
from gensim.models import KeyedVectors

TYPE_NAMES = ['plain', 'user', 'product', 'review', 'category']
TYPE_CODES = {name: code for code, name in enumerate(TYPE_NAMES)}


def block_rows(db, run_id, kind, node_type):
    """(idx, vector bytes) of a run stored as vector blocks (schema 5), in CSR index order, or None for a run of rows."""
    sql = 'SELECT rows, dim, idx, vectors FROM vector_blocks WHERE run_id = ? AND kind = ?'
    args = [run_id, kind]
    if node_type != 'all':
        sql += ' AND type = ?'
        args.append(TYPE_CODES[node_type])
    has_table = db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vector_blocks'").fetchone()
    if not has_table or not db.execute('SELECT 1 FROM vector_blocks WHERE run_id = ? LIMIT 1', [run_id]).fetchone():
        return None
    out = []
    for rows, dim, idx, vectors in db.execute(sql + ' ORDER BY type, block', args).fetchall():
        idx = np.frombuffer(idx, dtype='<u4')
        for r in range(rows):
            out.append((int(idx[r]), vectors[r * dim * 4:(r + 1) * dim * 4]))
    out.sort(key=lambda row: row[0])
    return out


def expected_rows(db, run_id, kind, node_type):
    blocks = block_rows(db, run_id, kind, node_type)
    if blocks is None:
        sql = (
            'SELECT n.key, n.type, a.segment, v.vector FROM vectors v '
            'JOIN nodes n ON n.run_id = v.run_id AND n.idx = v.idx '
            'LEFT JOIN assignments a ON a.run_id = v.run_id AND a.idx = v.idx '
            'WHERE v.run_id = ? AND v.kind = ?'
        )
        args = [run_id, kind]
        if node_type != 'all':
            sql += ' AND n.type = ?'
            args.append(TYPE_CODES[node_type])
        rows = db.execute(sql + ' ORDER BY v.idx', args).fetchall()
    else:
        node = 'SELECT n.key, n.type, a.segment FROM nodes n LEFT JOIN assignments a ON a.run_id = n.run_id AND a.idx = n.idx WHERE n.run_id = ? AND n.idx = ?'
        rows = [db.execute(node, [run_id, idx]).fetchone() + (vector,) for idx, vector in blocks]
    prefix = '' if node_type == 'all' else node_type + ':'
    ids = [k[len(prefix):] if prefix and k.startswith(prefix) else k for k, _, _, _ in rows]
    types = [TYPE_NAMES[t] for _, t, _, _ in rows]
    segments = [s for _, _, s, _ in rows]
    vectors = np.frombuffer(b''.join(r[3] for r in rows), dtype='<f4').reshape(len(rows), -1)
    return ids, types, segments, vectors


def from_text(fields):
    # The same path as the writer's check: decimal text -> double -> float32.
    return np.array([float(x) for x in fields], dtype=np.float64).astype(np.float32)


def same_bits(a, b):
    a = np.ascontiguousarray(a, dtype='<f4')
    b = np.ascontiguousarray(b, dtype='<f4')
    return a.shape == b.shape and np.array_equal(a.view('<u4'), b.view('<u4'))


def read_meta_tsv(path):
    with open(path, encoding='utf-8') as f:
        lines = f.read().split('\n')
    if lines[0] != 'id\ttype\tsegment':
        raise AssertionError(f'{path}: header is {lines[0]!r}')
    rows = [line.split('\t') for line in lines[1:] if line != '']
    return [r[0] for r in rows], [r[1] for r in rows], [int(r[2]) if r[2] != '' else None for r in rows]


def check_export(exp, want):
    ids, types, segments, vectors = want
    fmt, files = exp['format'], exp['files']
    if fmt in ('word2vec', 'word2vec-bin'):
        kv = KeyedVectors.load_word2vec_format(files[0], binary=(fmt == 'word2vec-bin'))
        assert list(kv.index_to_key) == ids, 'ids differ'
        assert kv.vectors.dtype == np.float32, kv.vectors.dtype
        assert same_bits(kv.vectors, vectors), 'vectors differ'
        return f'gensim {len(kv.index_to_key)} x {kv.vector_size}'
    if fmt == 'npy':
        arr = np.load(files[0])
        assert arr.dtype == np.dtype('<f4'), arr.dtype
        assert arr.flags['C_CONTIGUOUS'] and arr.shape == vectors.shape, arr.shape
        assert same_bits(arr, vectors), 'vectors differ'
        assert read_meta_tsv(files[1]) == (ids, types, segments), 'ids.tsv differs'
        return f'numpy {arr.shape} {arr.dtype.str}'
    if fmt == 'csv':
        with open(files[0], newline='', encoding='utf-8') as f:
            rows = list(csv.reader(f))
        dim = vectors.shape[1]
        assert rows[0] == ['id', 'type', 'segment'] + [f'v{k}' for k in range(dim)], 'header differs'
        body = rows[1:]
        assert [r[0] for r in body] == ids and [r[1] for r in body] == types, 'ids or types differ'
        assert [int(r[2]) if r[2] != '' else None for r in body] == segments, 'segments differ'
        assert same_bits(np.stack([from_text(r[3:]) for r in body]), vectors), 'vectors differ'
        return f'csv {len(body)} rows'
    if fmt == 'jsonl':
        with open(files[0], encoding='utf-8') as f:
            objs = [json.loads(line) for line in f]
        assert [o['id'] for o in objs] == ids and [o['type'] for o in objs] == types, 'ids or types differ'
        assert [o['segment'] for o in objs] == segments, 'segments differ'
        assert same_bits(np.stack([from_text(o['vector']) for o in objs]), vectors), 'vectors differ'
        return f'jsonl {len(objs)} rows'
    if fmt == 'tsv':
        with open(files[0], encoding='utf-8') as f:
            got = np.stack([from_text(line.rstrip('\n').split('\t')) for line in f])
        assert same_bits(got, vectors), 'vectors.tsv differs'
        assert read_meta_tsv(files[1]) == (ids, types, segments), 'metadata.tsv differs'
        return f'tsv {got.shape[0]} rows'
    return None


def main():
    manifest = json.load(open(sys.argv[1], encoding='utf-8'))
    db = sqlite3.connect(f"file:{manifest['db']}?mode=ro", uri=True)
    checked, failed, skipped = 0, 0, 0
    cache = {}
    for exp in manifest['exports']:
        key = (exp['runId'], exp['kind'], exp['type'])
        if key not in cache:
            cache[key] = expected_rows(db, *key)
        label = f"{exp['format']:<12} {exp['kind']:<5} {exp['type']:<7}"
        try:
            how = check_export(exp, cache[key])
        except AssertionError as err:
            failed += 1
            print(f'MISMATCH {label} {exp["files"][0]}: {err}')
            continue
        if how is None:
            skipped += 1
            print(f'skipped  {label} (no Python reader here)')
            continue
        checked += 1
        print(f'match    {label} {how} == sqlite rows, bit-exact')
    print(json.dumps({'checked': checked, 'mismatched': failed, 'skipped': skipped,
                      'gensim': __import__('gensim').__version__, 'numpy': np.__version__}))
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
