/**
 * The SQLite schema, as an ordered list of migrations. `PRAGMA user_version`
 * records how many have been applied; opening a database applies the rest in
 * one transaction, so an old file is upgraded in place or not at all.
 */

export const migrations: readonly string[] = [
  // 1: runs, their graph, their vectors and segments; the text-vector cache.
  `
  CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL,              -- ingest | train | refresh | eval
    parent_run_id INTEGER REFERENCES runs(id),
    status        TEXT NOT NULL,              -- 'running' inside the write transaction, 'complete' at commit
    created_at    TEXT NOT NULL,
    finished_at   TEXT,
    inputs        TEXT NOT NULL,              -- JSON: input files
    params        TEXT NOT NULL,              -- JSON: resolved parameters
    counts        TEXT NOT NULL,              -- JSON: node/edge/skip/duplicate counts
    timings       TEXT NOT NULL,              -- JSON: seconds per phase
    model_id      TEXT                        -- text model used, if any
  );
  CREATE TABLE nodes (
    run_id  INTEGER NOT NULL REFERENCES runs(id),
    idx     INTEGER NOT NULL,                 -- CSR index
    key     TEXT NOT NULL,                    -- 'user:<id>', 'product:<id>', ...
    type    INTEGER NOT NULL,                 -- NodeType code
    degree  INTEGER NOT NULL,
    PRIMARY KEY (run_id, idx)
  ) WITHOUT ROWID;
  CREATE UNIQUE INDEX nodes_by_key ON nodes(run_id, key);
  CREATE TABLE texts (
    hash TEXT PRIMARY KEY,                    -- sha256 of the normalised text
    text TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE reviews (
    run_id     INTEGER NOT NULL REFERENCES runs(id),
    review_id  TEXT NOT NULL,
    user_id    TEXT NOT NULL,
    product_id TEXT NOT NULL,
    rating     REAL,
    ts         INTEGER,
    text_hash  TEXT REFERENCES texts(hash),   -- NULL for a review without text
    summary    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (run_id, review_id)
  ) WITHOUT ROWID;
  CREATE INDEX reviews_by_user ON reviews(run_id, user_id);
  CREATE TABLE products (
    run_id     INTEGER NOT NULL REFERENCES runs(id),
    product_id TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    categories TEXT NOT NULL DEFAULT '[]',    -- JSON array
    brand      TEXT NOT NULL DEFAULT '',
    price      REAL,
    PRIMARY KEY (run_id, product_id)
  ) WITHOUT ROWID;
  CREATE TABLE edges (
    run_id   INTEGER NOT NULL REFERENCES runs(id),
    src      INTEGER NOT NULL,
    dst      INTEGER NOT NULL,
    weight   REAL NOT NULL
  );
  CREATE INDEX edges_by_run ON edges(run_id);
  CREATE TABLE vectors (
    run_id   INTEGER NOT NULL REFERENCES runs(id),
    kind     TEXT NOT NULL CHECK (kind IN ('graph', 'text', 'fused')),
    idx      INTEGER NOT NULL,
    dim      INTEGER NOT NULL,
    flags    INTEGER NOT NULL DEFAULT 0,      -- bit 0: fused from the graph part alone (no text)
    vector   BLOB NOT NULL,                   -- float32 little-endian
    PRIMARY KEY (run_id, kind, idx)
  ) WITHOUT ROWID;
  CREATE TABLE segments (
    run_id      INTEGER NOT NULL REFERENCES runs(id),
    segment     INTEGER NOT NULL,
    size        INTEGER NOT NULL,
    centroid    BLOB NOT NULL,
    description TEXT NOT NULL,                -- JSON
    PRIMARY KEY (run_id, segment)
  ) WITHOUT ROWID;
  CREATE TABLE assignments (
    run_id   INTEGER NOT NULL REFERENCES runs(id),
    idx      INTEGER NOT NULL,
    segment  INTEGER NOT NULL,
    distance REAL NOT NULL,
    PRIMARY KEY (run_id, idx)
  ) WITHOUT ROWID;
  CREATE TABLE text_cache (
    model_id  TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    dim       INTEGER NOT NULL,
    vector    BLOB NOT NULL,
    PRIMARY KEY (model_id, text_hash)
  ) WITHOUT ROWID;
  `,
  // 2: the skip-gram state (input and output matrices of every node, row = CSR
  // index of the run), so a refresh can warm-start from exactly where training ended.
  `
  CREATE TABLE sgns_state (
    run_id     INTEGER PRIMARY KEY REFERENCES runs(id),
    dim        INTEGER NOT NULL,
    node_count INTEGER NOT NULL,
    input      BLOB NOT NULL,
    output     BLOB NOT NULL
  );
  `,
  // 3: facts about the whole database, e.g. that its user ids are pseudonymised
  // and the fingerprint of the key (never the key), so later writes can check it.
  `
  CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) WITHOUT ROWID;
  `,
  // 4: issue 14. Segments keep a stable id across runs and get a readable name;
  // a run remembers the smallest segment id never used (ids are never reused),
  // what each of its segments matched in the run it was compared with, the
  // fitted tag model and every user's tag scores, and (a refresh) how far each
  // user moved from the base run.
  `
  ALTER TABLE segments ADD COLUMN stable_id INTEGER;
  ALTER TABLE segments ADD COLUMN name TEXT;
  ALTER TABLE runs ADD COLUMN next_segment_id INTEGER;
  CREATE TABLE segment_matches (
    run_id          INTEGER NOT NULL REFERENCES runs(id),
    stable_id       INTEGER NOT NULL,         -- a segment id of this run, or (status vanished) of the compared run
    status          TEXT NOT NULL CHECK (status IN ('matched', 'new', 'vanished')),
    compared_run_id INTEGER NOT NULL,         -- the run matched against (not a foreign key: it may be deleted later)
    closest_id      INTEGER,                  -- the other run's most similar segment id (the match itself when matched)
    similarity      REAL NOT NULL,
    by              TEXT NOT NULL,            -- centroid | overlap | both
    PRIMARY KEY (run_id, status, stable_id)
  ) WITHOUT ROWID;
  CREATE TABLE tag_models (
    run_id  INTEGER PRIMARY KEY REFERENCES runs(id),
    model   TEXT NOT NULL                     -- JSON (src/tags/model-io.ts)
  );
  CREATE TABLE tag_scores (
    run_id     INTEGER NOT NULL REFERENCES runs(id),
    idx        INTEGER NOT NULL,              -- CSR index of the user
    score      BLOB NOT NULL,                 -- float32 per tag of the run's tag model (NaN: no evidence)
    percentile BLOB NOT NULL,                 -- float32 per tag
    sentiment  REAL,                          -- NULL: no sentiment evidence
    PRIMARY KEY (run_id, idx)
  ) WITHOUT ROWID;
  CREATE TABLE user_drift (
    run_id        INTEGER NOT NULL REFERENCES runs(id),
    user_id       TEXT NOT NULL,
    distance      REAL NOT NULL,              -- 1 - cos(fused vector in the base run, in this run)
    from_segment  INTEGER,                    -- stable segment id in the base run (NULL: none)
    to_segment    INTEGER,
    PRIMARY KEY (run_id, user_id)
  ) WITHOUT ROWID;
  `,
  // 5: issue 12. A run's vectors as blocks of rows, one series of blocks per
  // (kind, node type), rows in CSR index order: a query reads a type's whole
  // matrix as a few large blobs instead of a row (and a key) per node, and a
  // run writes a few hundred rows instead of one per node and kind. Runs written
  // before keep their rows in \`vectors\` (src/store/vectors.ts reads either).
  `
  CREATE TABLE vector_blocks (
    run_id   INTEGER NOT NULL REFERENCES runs(id),
    kind     TEXT NOT NULL CHECK (kind IN ('graph', 'text', 'fused')),
    type     INTEGER NOT NULL,                -- NodeType code of every row
    block    INTEGER NOT NULL,                -- 0, 1, ... in CSR index order
    dim      INTEGER NOT NULL,
    rows     INTEGER NOT NULL,
    idx      BLOB NOT NULL,                   -- uint32 little-endian per row: the CSR index, ascending
    flags    BLOB NOT NULL,                   -- a byte per row, as vectors.flags
    vectors  BLOB NOT NULL,                   -- rows x dim float32 little-endian, row-major
    PRIMARY KEY (run_id, kind, type, block)
  );
  `,
  // 6: issue 12. The skip-gram state in blocks of rows: one row of two blobs
  // fails at a million trained nodes (SQLite, as better-sqlite3 builds it,
  // refuses a row of about 512 MiB). sgns_state keeps the header (dim, rows
  // stored) with empty blobs; runs written before keep their blobs there.
  `
  CREATE TABLE sgns_state_blocks (
    run_id   INTEGER NOT NULL REFERENCES runs(id),
    block    INTEGER NOT NULL,                -- 0, 1, ... in stored-row order
    rows     INTEGER NOT NULL,
    input    BLOB NOT NULL,                   -- rows x dim float16 little-endian, row-major
    output   BLOB NOT NULL,
    PRIMARY KEY (run_id, block)
  );
  `,
];

export const schemaVersion = migrations.length;
