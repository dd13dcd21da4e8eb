-- Two replicas (issue 13): a poster claims the rows it is about to send (claimed_by, until
-- claimed_until) with one conditional UPDATE, so that around a hand-over of the outbox lease, when
-- two processes may both drain for a moment, a row is sent by one of them only. A claim that is
-- not released (the process died mid-call) lapses at claimed_until.
ALTER TABLE slack_outbox ADD COLUMN IF NOT EXISTS claimed_by VARCHAR(64);
ALTER TABLE slack_outbox ADD COLUMN IF NOT EXISTS claimed_until TIMESTAMP WITH TIME ZONE;
