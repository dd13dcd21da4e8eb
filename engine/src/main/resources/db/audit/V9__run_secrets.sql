-- The secret parameters of a run waiting for approval. With INTENTBOT_SECRET_KEY set, sealed holds
-- them encrypted (AES-GCM, the run id as associated data) so that a restarted process or another
-- replica can start the approved run. Without it, sealed is NULL: the values live only in the
-- memory of process_id, and the run is cancelled once that process is gone. The row is deleted
-- when the run leaves the wait.
CREATE TABLE run_secrets (
  run_id      VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES runs (id),
  process_id  VARCHAR(64) NOT NULL,
  sealed      TEXT
);
