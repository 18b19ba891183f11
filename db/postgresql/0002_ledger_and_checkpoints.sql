-- Redress schema v2 (PostgreSQL): the audit ledger and its signed checkpoints
-- (compliance-docs/audit-trail.md §5-§6), and a close-time column for the
-- retention sweep (§9). Same meaning as db/sqlite/0002_ledger_and_checkpoints.sql.

ALTER TABLE complaint_events ADD COLUMN ledger_index BIGINT;
ALTER TABLE complaint_events DISABLE TRIGGER complaint_events_append_only;
UPDATE complaint_events e SET ledger_index = r.n - 1
  FROM (SELECT position, row_number() OVER (ORDER BY position) AS n FROM complaint_events) r
  WHERE r.position = e.position;
ALTER TABLE complaint_events ENABLE TRIGGER complaint_events_append_only;
ALTER TABLE complaint_events ALTER COLUMN ledger_index SET NOT NULL;
CREATE UNIQUE INDEX complaint_events_by_ledger_index ON complaint_events (ledger_index);

CREATE TABLE ledger_head (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  next_index       BIGINT  NOT NULL
);
INSERT INTO ledger_head (id, next_index) SELECT 1, COUNT(*) FROM complaint_events;

CREATE TABLE checkpoints (
  tree_size        BIGINT  PRIMARY KEY,
  root_hash        TEXT    NOT NULL,
  seal_time_us     BIGINT  NOT NULL,
  key_id           TEXT    NOT NULL,
  signature        TEXT    NOT NULL
);

ALTER TABLE complaints ADD COLUMN close_time_us BIGINT;
UPDATE complaints SET close_time_us = update_time_us WHERE state IN (6, 7);
CREATE INDEX complaints_by_close_time ON complaints (close_time_us);
