-- Redress schema v2 (SQLite): the audit ledger and its signed checkpoints
-- (compliance-docs/audit-trail.md §5-§6), and a close-time column for the
-- retention sweep (§9).

-- Ledger index: gap-free commit order of events. Existing events are numbered
-- in position order (on SQLite, one writer: position order is commit order).
ALTER TABLE complaint_events ADD COLUMN ledger_index INTEGER;
DROP TRIGGER complaint_events_append_only_update;
UPDATE complaint_events SET ledger_index =
  (SELECT COUNT(*) FROM complaint_events e2 WHERE e2.position < complaint_events.position);
CREATE TRIGGER complaint_events_append_only_update BEFORE UPDATE ON complaint_events
BEGIN
  SELECT RAISE(ABORT, 'complaint_events is append-only');
END;
CREATE UNIQUE INDEX complaint_events_by_ledger_index ON complaint_events (ledger_index);
-- New rows must carry a ledger index (SQLite cannot add NOT NULL to a column).
CREATE TRIGGER complaint_events_need_ledger_index BEFORE INSERT ON complaint_events
  WHEN NEW.ledger_index IS NULL
BEGIN
  SELECT RAISE(ABORT, 'complaint_events.ledger_index is required');
END;

CREATE TABLE ledger_head (
  id               INTEGER PRIMARY KEY CHECK (id = 1),
  next_index       INTEGER NOT NULL
);
INSERT INTO ledger_head (id, next_index) SELECT 1, COUNT(*) FROM complaint_events;

CREATE TABLE checkpoints (
  tree_size        INTEGER PRIMARY KEY,
  root_hash        TEXT    NOT NULL,
  seal_time_us     INTEGER NOT NULL,
  key_id           TEXT    NOT NULL,
  signature        TEXT    NOT NULL
);

-- When the complaint last entered CLOSED or WITHDRAWN (NULL while open).
-- Existing closed rows take their last update time.
ALTER TABLE complaints ADD COLUMN close_time_us INTEGER;
UPDATE complaints SET close_time_us = update_time_us WHERE state IN (6, 7);
CREATE INDEX complaints_by_close_time ON complaints (close_time_us);
