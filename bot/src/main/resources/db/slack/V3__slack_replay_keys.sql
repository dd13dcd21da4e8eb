-- Slack adapter: the requests acted on (a trigger id, a signature and timestamp), kept 10 minutes,
-- so that a replay to another replica or after a restart is ignored (Slack's signatures are good
-- for 5 minutes). One row per key; the primary key makes the first insert win across replicas.
CREATE TABLE IF NOT EXISTS slack_replay_keys (
  replay_key  VARCHAR(128) NOT NULL PRIMARY KEY,
  seen_at     TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX IF NOT EXISTS slack_replay_keys_seen ON slack_replay_keys (seen_at);
