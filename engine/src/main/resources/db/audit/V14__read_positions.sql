-- Where a follower of the access log left off (the leader's DecisionsElsewhere updating Slack
-- cards for decisions made from a terminal), shared by every process on the database: a replica
-- that becomes leader resumes after the last entry the previous leader handled, so a decision made
-- during the handover still reaches its card. Positions only move forward.
CREATE TABLE read_positions (
  reader    VARCHAR(100) NOT NULL PRIMARY KEY,
  position  BIGINT       NOT NULL
);
