-- What the plan of a run waiting for approval was computed from: one SHA-256 per input (the
-- intent file, a library step, a parameter, an environment's or datasource's config, a file a
-- step reads), so that an approval given on that plan can say what changed since it was shown.
CREATE TABLE plan_inputs (
  run_id  VARCHAR(64)   NOT NULL REFERENCES runs (id),
  name    VARCHAR(1000) NOT NULL,
  digest  VARCHAR(64)   NOT NULL,
  PRIMARY KEY (run_id, name)
);

-- The place of an approval among those a run needs (1, 2, ...): at most one approval per place,
-- so however many approvers click at once, no more approvals are recorded than are required.
-- Rejections and break-glass decisions have none.
ALTER TABLE approvals ADD COLUMN place INTEGER;
CREATE UNIQUE INDEX approvals_place ON approvals (run_id, place);
