#!/usr/bin/python3
"""Reference run of gensim's Word2Vec (skip-gram, negative sampling) for bench/sgns.ts.

Reads a walk corpus written as one walk per line of space-separated node
indices, trains with gensim's corpus_file mode (its fastest: each worker reads
its own slice of the file, no Python iterator in the loop), and writes the
vectors as raw float32 rows in node-index order (nodes gensim never saw are
zero rows). Prints one JSON line: timings and words/s, counted as bench/sgns.ts
counts its own: corpus tokens x epochs / training wall seconds, before
sub-sampling.

Usage: /usr/bin/python3 gensim_sgns.py CORPUS NODE_COUNT OUT.f32 --dim 128 --window 10
       --negative 5 --sample 1e-3 --epochs 1 --workers 2 --seed 42
"""
import argparse
import json
import sys
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("node_count", type=int)
    ap.add_argument("out")
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--window", type=int, default=10)
    ap.add_argument("--negative", type=int, default=5)
    ap.add_argument("--sample", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()

    try:
        import numpy as np
        from gensim.models import Word2Vec
        from gensim.models.word2vec_inner import FAST_VERSION
    except ImportError as err:
        print(json.dumps({"error": f"gensim is not importable: {err}"}))
        return 3

    model = Word2Vec(
        vector_size=a.dim,
        window=a.window,
        negative=a.negative,
        hs=0,
        sg=1,
        sample=a.sample,
        min_count=1,
        alpha=0.025,
        min_alpha=0.0001,
        workers=a.workers,
        seed=a.seed,
    )
    t0 = time.perf_counter()
    model.build_vocab(corpus_file=a.corpus)
    t1 = time.perf_counter()
    model.train(
        corpus_file=a.corpus,
        total_words=model.corpus_total_words,
        total_examples=model.corpus_count,
        epochs=a.epochs,
    )
    t2 = time.perf_counter()

    vectors = np.zeros((a.node_count, a.dim), dtype=np.float32)
    for key, idx in model.wv.key_to_index.items():
        vectors[int(key)] = model.wv.vectors[idx]
    vectors.tofile(a.out)

    words = int(model.corpus_total_words) * a.epochs
    print(json.dumps({
        "gensimVersion": __import__("gensim").__version__,
        "fastVersion": int(FAST_VERSION),
        "words": words,
        "vocabSeconds": t1 - t0,
        "trainSeconds": t2 - t1,
        "wordsPerSec": words / (t2 - t1),
        "vocabulary": len(model.wv.key_to_index),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
