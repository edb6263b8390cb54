#!/usr/bin/python3
"""Cross-check of src/eval/node-classification.ts against scikit-learn, for bench/sgns.ts.

Reads the vectors (raw float32 rows), the label of each row (raw int32, -1 =
unlabelled) and, per split, the training rows (raw uint32) that the TypeScript
side used; trains one-vs-rest LogisticRegression(C=1, solver="lbfgs") per
split and scores the other labelled rows. Prints one JSON line with Macro-F1
and Micro-F1 per split and their means.

Usage: /usr/bin/python3 sklearn_nc.py VECTORS.f32 DIM LABELS.i32 TRAIN0.u32 [TRAIN1.u32 ...]
"""
import json
import sys


def main() -> int:
    try:
        import numpy as np
        from sklearn.linear_model import LogisticRegression
        from sklearn.metrics import f1_score
        from sklearn.multiclass import OneVsRestClassifier
        import sklearn
    except ImportError as err:
        print(json.dumps({"error": f"scikit-learn is not importable: {err}"}))
        return 3
    vectors_file, dim, labels_file, *train_files = sys.argv[1:]
    dim = int(dim)
    x = np.fromfile(vectors_file, dtype=np.float32).reshape(-1, dim).astype(np.float64)
    labels = np.fromfile(labels_file, dtype=np.int32)
    labelled = np.flatnonzero(labels >= 0)
    macro, micro = [], []
    for f in train_files:
        train = np.fromfile(f, dtype=np.uint32).astype(np.int64)
        test = np.setdiff1d(labelled, train)
        model = OneVsRestClassifier(LogisticRegression(C=1.0, solver="lbfgs", max_iter=1000))
        model.fit(x[train], labels[train])
        predicted = model.predict(x[test])
        macro.append(float(f1_score(labels[test], predicted, average="macro")))
        micro.append(float(f1_score(labels[test], predicted, average="micro")))
    print(json.dumps({
        "sklearnVersion": sklearn.__version__,
        "macroF1": sum(macro) / len(macro),
        "microF1": sum(micro) / len(micro),
        "macroF1PerSplit": macro,
        "microF1PerSplit": micro,
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
