-- Embedded store schema, version 1. Statements are separated by semicolons at line ends.
CREATE TABLE IF NOT EXISTS source_record (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  client_id TEXT NOT NULL,
  id_system TEXT NOT NULL,
  id_value TEXT NOT NULL,
  golden_id TEXT NOT NULL,
  link_method TEXT NOT NULL,
  link_score REAL,
  link_grade TEXT,
  link_rule TEXT,
  link_time TEXT NOT NULL,
  resource TEXT NOT NULL,
  fields TEXT NOT NULL,
  last_updated TEXT NOT NULL,
  link_explanation TEXT,
  UNIQUE (client_id, id_system, id_value)
);
CREATE INDEX IF NOT EXISTS source_by_golden ON source_record (golden_id);
CREATE TABLE IF NOT EXISTS identifier (
  system TEXT NOT NULL,
  value TEXT NOT NULL,
  source_id TEXT NOT NULL,
  PRIMARY KEY (system, value, source_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS identifier_by_source ON identifier (source_id);
CREATE TABLE IF NOT EXISTS golden_record (
  id TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  replaced_by TEXT,
  last_updated TEXT NOT NULL,
  change_seq INTEGER
);
CREATE TABLE IF NOT EXISTS review_item (
  id TEXT PRIMARY KEY,
  source_id TEXT NOT NULL,
  golden_id TEXT,
  score REAL,
  grade TEXT,
  rule TEXT,
  reason TEXT NOT NULL,
  explanation TEXT,
  status TEXT NOT NULL DEFAULT 'open',
  created TEXT NOT NULL,
  resolved_by TEXT,
  resolved_at TEXT,
  decision TEXT,
  candidate_id TEXT,
  comment TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS review_open_pair ON review_item (source_id, golden_id) WHERE status = 'open';
CREATE TABLE IF NOT EXISTS not_same_person (
  source_a TEXT NOT NULL,
  source_b TEXT NOT NULL,
  created TEXT NOT NULL,
  PRIMARY KEY (source_a, source_b)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS review_by_status ON review_item (status, created);
-- The dashboard's counts of today's items raised and decided, and of decisions per day.
CREATE INDEX IF NOT EXISTS review_by_created ON review_item (created);
CREATE INDEX IF NOT EXISTS review_by_resolved ON review_item (resolved_at) WHERE resolved_at IS NOT NULL;
-- Every change of a source record's link, in the order written: its history and the change feed.
CREATE TABLE IF NOT EXISTS link_event (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  source_id TEXT NOT NULL,
  golden_id TEXT NOT NULL,
  previous_golden_id TEXT,
  method TEXT NOT NULL,
  score REAL,
  grade TEXT,
  rule TEXT,
  explanation TEXT,
  actor TEXT,
  comment TEXT
);
CREATE INDEX IF NOT EXISTS link_event_by_source ON link_event (source_id, seq);
CREATE INDEX IF NOT EXISTS link_event_by_golden ON link_event (golden_id, seq);
CREATE INDEX IF NOT EXISTS link_event_by_previous ON link_event (previous_golden_id, seq);
-- The dashboard's links made today by outcome: covered, so counting never reads the events themselves.
CREATE INDEX IF NOT EXISTS link_event_by_time ON link_event (at, method, score);
-- Where an unfinished long job (re-matching) stopped: written with each batch it commits.
CREATE TABLE IF NOT EXISTS job_progress (
  job TEXT PRIMARY KEY,
  cursor TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_event (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at TEXT NOT NULL,
  client_id TEXT,
  action TEXT NOT NULL,
  source_id TEXT,
  golden_id TEXT,
  outcome TEXT,
  detail TEXT
);
-- The token of the matching-index snapshot written at the last clean stop: taken (deleted) when the store opens,
-- so a snapshot is only ever read back by the first process to open the store after it was written.
CREATE TABLE IF NOT EXISTS index_snapshot (
  token TEXT NOT NULL
);
