-- Background duties that must run on one process at a time (draining the Slack outbox,
-- expiring approvals) are guarded by a lease: a named row held until it expires.
CREATE TABLE leases (
  name        VARCHAR(64)  NOT NULL PRIMARY KEY,
  holder      VARCHAR(128) NOT NULL,
  expires_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
