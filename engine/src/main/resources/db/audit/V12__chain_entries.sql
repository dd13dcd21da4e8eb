-- Entries of the audit chain that are not runs: approvals and rejections, acknowledgements of
-- break-glass runs, and access log entries (refused attempts, decisions made outside Slack). Each
-- is sealed in the transaction that writes it, under the chain head's lock, so it shares the runs'
-- sequence: a seq is either a run's (runs.seq) or one of these. The entry names its row by key
-- (run_id and user_id for an approval, run_id for an acknowledgement, access_id for the access
-- log); its hash covers the row as stored, so editing or deleting the row breaks the chain.
CREATE TABLE chain_entries (
  seq         BIGINT       NOT NULL PRIMARY KEY,
  kind        VARCHAR(32)  NOT NULL,
  run_id      VARCHAR(64),
  user_id     VARCHAR(200),
  access_id   BIGINT,
  prev_hash   VARCHAR(64)  NOT NULL,
  record_hash VARCHAR(64)  NOT NULL,
  sealed_at   TIMESTAMP WITH TIME ZONE NOT NULL,
  record_mac  VARCHAR(64)
);
CREATE INDEX chain_entries_run ON chain_entries (kind, run_id, user_id);
CREATE INDEX chain_entries_access ON chain_entries (access_id);

-- Rows written before this migration have no entry. Their number is kept here, so that verify can
-- tell them from rows inserted behind the store's back later (the store seals every row it writes).
CREATE TABLE chain_legacy (
  kind        VARCHAR(32) NOT NULL PRIMARY KEY,
  rows_before BIGINT      NOT NULL
);
INSERT INTO chain_legacy (kind, rows_before) SELECT 'approval', COUNT(*) FROM approvals;
INSERT INTO chain_legacy (kind, rows_before) SELECT 'acknowledgement', COUNT(*) FROM run_reviews;
INSERT INTO chain_legacy (kind, rows_before) SELECT 'access', COUNT(*) FROM access_log;
