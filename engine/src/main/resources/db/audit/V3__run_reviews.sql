-- Break-glass runs skip the wait for approval; an approver acknowledges each one afterwards.
-- A review annotates a run that is already sealed, so it lives outside the hash chain.
CREATE TABLE run_reviews (
  run_id       VARCHAR(64)  NOT NULL PRIMARY KEY REFERENCES runs (id),
  user_id      VARCHAR(128) NOT NULL,
  reviewed_at  TIMESTAMP WITH TIME ZONE NOT NULL,
  note         VARCHAR(2000)
);
