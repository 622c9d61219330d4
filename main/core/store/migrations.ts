// Explicit, numbered migrations. Each runs once, in order, inside a transaction;
// `PRAGMA user_version` records the last one applied.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'datasets, pairs, word counts, jobs',
    sql: `
      CREATE TABLE datasets (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL,
        root        TEXT NOT NULL UNIQUE,
        format      TEXT NOT NULL,
        options     TEXT NOT NULL DEFAULT '{}',
        detection   TEXT NOT NULL DEFAULT '{}',
        created_at  TEXT NOT NULL,
        indexed_at  TEXT,
        state       TEXT NOT NULL DEFAULT 'new'   -- new | indexing | ready | failed
      );

      -- One row per pair. seq is the pair's dense position in the reader's order: it is
      -- the row index of every vector file, and what resume counts.
      CREATE TABLE pairs (
        id           INTEGER PRIMARY KEY,
        dataset_id   INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        seq          INTEGER NOT NULL,
        key          TEXT NOT NULL,
        image_key    TEXT NOT NULL,
        image_kind   TEXT NOT NULL,              -- file | tar | parquet | url | none
        image_path   TEXT,
        image_member TEXT,
        image_offset INTEGER,
        image_size   INTEGER,
        image_row    INTEGER,
        image_column TEXT,
        url          TEXT,
        uid          TEXT,
        split        TEXT,
        caption      TEXT,
        width        INTEGER,
        height       INTEGER,
        bytes        INTEGER,
        hash         TEXT,
        status       TEXT NOT NULL,              -- ok | error
        error_kind   TEXT,
        error        TEXT,
        unit         INTEGER NOT NULL,
        UNIQUE (dataset_id, seq),
        UNIQUE (dataset_id, key)
      );
      CREATE INDEX pairs_status ON pairs(dataset_id, status, error_kind);
      CREATE INDEX pairs_image ON pairs(dataset_id, image_key);

      CREATE TABLE word_counts (
        dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        word       TEXT NOT NULL,
        count      INTEGER NOT NULL,
        PRIMARY KEY (dataset_id, word)
      ) WITHOUT ROWID;

      CREATE TABLE jobs (
        id          INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL,
        dataset_id  INTEGER REFERENCES datasets(id) ON DELETE CASCADE,
        params      TEXT NOT NULL DEFAULT '{}',
        state       TEXT NOT NULL,               -- running | done | failed | cancelled | interrupted
        checkpoint  TEXT NOT NULL DEFAULT '{}',
        progress    TEXT NOT NULL DEFAULT '{}',
        error       TEXT,
        result      TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
      );
      CREATE INDEX jobs_dataset ON jobs(dataset_id, kind, state);
    `,
  },
  {
    version: 2,
    name: 'feature sets and per-pair feature errors',
    sql: `
      -- One row per (dataset, model): where its vector files are and how far it got.
      CREATE TABLE feature_sets (
        id          INTEGER PRIMARY KEY,
        dataset_id  INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        model       TEXT NOT NULL,
        folder      TEXT NOT NULL,
        meta        TEXT NOT NULL DEFAULT '{}',
        state       TEXT NOT NULL DEFAULT 'new',   -- new | partial | ready
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL,
        UNIQUE (dataset_id, model)
      );
      -- A pair whose features could not be computed (undecodable image, not on disk).
      CREATE TABLE feature_errors (
        feature_set_id INTEGER NOT NULL REFERENCES feature_sets(id) ON DELETE CASCADE,
        seq            INTEGER NOT NULL,
        kind           TEXT NOT NULL,
        message        TEXT NOT NULL,
        PRIMARY KEY (feature_set_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 3,
    name: 'runs, per-pair results, refined captions, exports',
    sql: `
      CREATE TABLE runs (
        id              INTEGER PRIMARY KEY,
        dataset_id      INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
        method          TEXT NOT NULL,            -- random | first-k | tldr | wfpp | ... | pipeline
        label           TEXT NOT NULL,
        params          TEXT NOT NULL DEFAULT '{}',
        feature_set_id  INTEGER REFERENCES feature_sets(id) ON DELETE SET NULL,
        state           TEXT NOT NULL,            -- running | done | failed
        kept            INTEGER NOT NULL DEFAULT 0,
        eligible        INTEGER NOT NULL DEFAULT 0,
        stats           TEXT NOT NULL DEFAULT '{}', -- counts after each step, derived parameters, notes
        evaluation      TEXT,                     -- proxy metrics with intervals (METHODS.md, last section)
        created_at      TEXT NOT NULL,
        updated_at      TEXT NOT NULL
      );
      CREATE INDEX runs_dataset ON runs(dataset_id, id);

      -- One row per pair of the dataset: kept or not, why, and its cluster and score.
      CREATE TABLE run_pairs (
        run_id   INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq      INTEGER NOT NULL,
        kept     INTEGER NOT NULL,
        reason   TEXT,
        cluster  INTEGER,
        score    REAL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
      CREATE INDEX run_pairs_kept ON run_pairs(run_id, kept, seq);

      -- Caption refinement (TL;DR step 2): the generated text and the merged training caption.
      CREATE TABLE refined_captions (
        run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        model      TEXT NOT NULL,
        generated  TEXT NOT NULL,
        merged     TEXT NOT NULL,
        truncated  INTEGER NOT NULL DEFAULT 0,   -- words of the generated part BLIP's 30-word cut drops
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;

      CREATE TABLE exports (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        format      TEXT NOT NULL,
        folder      TEXT NOT NULL,
        manifest    TEXT NOT NULL,
        created_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    name: 'image file modification times',
    sql: `
      -- mtime (ms since the epoch) of a file-held image when it was indexed: with the size,
      -- how an export tells a dataset file that changed since (NULL for containers and URLs).
      ALTER TABLE pairs ADD COLUMN mtime_ms REAL;
    `,
  },
];
