-- Which intentbot process executes each run, and when each process last said it was alive, so
-- a process (or replica) marks as interrupted only the runs of processes that stopped.
CREATE TABLE engine_processes (
  id            VARCHAR(64) NOT NULL PRIMARY KEY,
  started_at    TIMESTAMP WITH TIME ZONE NOT NULL,
  heartbeat_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE run_owners (
  run_id      VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES runs (id),
  process_id  VARCHAR(64) NOT NULL
);
