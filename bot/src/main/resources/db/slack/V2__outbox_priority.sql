-- Fair, prioritised posting (issue 13): the poster reads each channel's pending messages on their
-- own, urgent first (approval cards, final results, notices: priority 0; progress and output: 1),
-- so no channel's backlog hides another's and no run's output delays a card. Existing rows are
-- ordinary (1).
ALTER TABLE slack_outbox ADD COLUMN IF NOT EXISTS priority INTEGER DEFAULT 1 NOT NULL;

CREATE INDEX IF NOT EXISTS slack_outbox_channel_pending
  ON slack_outbox (delivered_at, channel, priority, id);
