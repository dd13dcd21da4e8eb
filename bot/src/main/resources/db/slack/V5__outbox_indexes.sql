-- The poster reads a channel's most urgent message, then that run's next ones (issue 13's fair
-- posting). On a fresh database H2 planned both through (delivered_at, id) and scanned every
-- pending message of every channel for each read: in a burst of 200 runs the poster spent more
-- CPU than all acknowledgements. Without that index a channel is read through its own index, and a
-- run's messages through theirs. The clean-up (delivered_at < ?) uses the channel index's prefix.
DROP INDEX IF EXISTS slack_outbox_pending;

CREATE INDEX IF NOT EXISTS slack_outbox_run_pending ON slack_outbox (run_id, delivered_at, id);
