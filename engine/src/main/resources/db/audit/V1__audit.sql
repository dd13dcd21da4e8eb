-- The audit store's schema. Portable between H2 2.x and PostgreSQL 14+.
-- Timestamps are TIMESTAMP WITH TIME ZONE, written in UTC at millisecond precision.
-- JSON columns hold text written by Jackson; the store never queries inside them.

CREATE TABLE runs (
  id          VARCHAR(64)  NOT NULL PRIMARY KEY,
  intent      VARCHAR(200) NOT NULL,
  parameters  TEXT         NOT NULL,
  requester   VARCHAR(200),
  environment VARCHAR(200),
  app         VARCHAR(200),
  status      VARCHAR(32)  NOT NULL,
  dry_run     BOOLEAN      NOT NULL,
  plan_hash   VARCHAR(128),
  lock_key    VARCHAR(500),
  created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  started_at  TIMESTAMP WITH TIME ZONE,
  finished_at TIMESTAMP WITH TIME ZONE,
  outputs     TEXT         NOT NULL,
  reason      TEXT,
  origin      TEXT         NOT NULL,
  -- hash chain, set once by seal()
  seq         BIGINT,
  prev_hash   VARCHAR(64),
  record_hash VARCHAR(64),
  sealed_at   TIMESTAMP WITH TIME ZONE
);

CREATE UNIQUE INDEX runs_seq ON runs (seq);
CREATE INDEX runs_created ON runs (created_at);
CREATE INDEX runs_intent_created ON runs (intent, created_at);
CREATE INDEX runs_status ON runs (status);

CREATE TABLE steps (
  run_id      VARCHAR(64)  NOT NULL REFERENCES runs (id),
  idx         INTEGER      NOT NULL,
  step_id     VARCHAR(200) NOT NULL,
  phase       VARCHAR(32)  NOT NULL,
  type        VARCHAR(200) NOT NULL,
  status      VARCHAR(32)  NOT NULL,
  started_at  TIMESTAMP WITH TIME ZONE,
  finished_at TIMESTAMP WITH TIME ZONE,
  duration_ms BIGINT,
  attempts    INTEGER      NOT NULL,
  outputs     TEXT         NOT NULL,
  output_text TEXT,
  reason      TEXT,
  PRIMARY KEY (run_id, idx)
);

CREATE TABLE approvals (
  run_id     VARCHAR(64)  NOT NULL REFERENCES runs (id),
  user_id    VARCHAR(200) NOT NULL,
  approved   BOOLEAN      NOT NULL,
  plan_hash  VARCHAR(128),
  decided_at TIMESTAMP WITH TIME ZONE NOT NULL,
  comment    TEXT,
  PRIMARY KEY (run_id, user_id)
);

CREATE TABLE locks (
  lock_key    VARCHAR(500) NOT NULL PRIMARY KEY,
  run_id      VARCHAR(64)  NOT NULL,
  acquired_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX locks_run ON locks (run_id);

-- One row. seal() locks it (SELECT ... FOR UPDATE) so concurrent seals, even from several
-- processes, append to the chain one at a time and never fork it.
CREATE TABLE chain_head (
  id        INTEGER     NOT NULL PRIMARY KEY,
  last_seq  BIGINT      NOT NULL,
  last_hash VARCHAR(64) NOT NULL
);

INSERT INTO chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
