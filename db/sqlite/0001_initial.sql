-- Redress schema v1 (SQLite). Applied in one transaction with its version row.
-- Times are Unix microseconds (INTEGER); hashes are lower-case hex; proto
-- bodies are base64 of the binary protobuf encoding.

CREATE TABLE complaints (
  seq              INTEGER PRIMARY KEY AUTOINCREMENT,  -- stable list order
  id               TEXT    NOT NULL UNIQUE,            -- {complaint_id}
  reference        TEXT    NOT NULL UNIQUE,            -- CMP-YYYY-NNNNNN
  state            INTEGER NOT NULL,
  channel          INTEGER NOT NULL,
  category         TEXT    NOT NULL,
  assignee         TEXT    NOT NULL,
  create_time_us   INTEGER NOT NULL,
  update_time_us   INTEGER NOT NULL,
  version          INTEGER NOT NULL,                   -- = number of events
  last_event_hash  TEXT    NOT NULL,
  body             TEXT    NOT NULL                    -- Complaint without complainant
);
CREATE INDEX complaints_by_state ON complaints (state, seq);
CREATE INDEX complaints_by_category ON complaints (category, seq);
CREATE INDEX complaints_by_assignee ON complaints (assignee, seq);
CREATE INDEX complaints_by_create_time ON complaints (create_time_us, seq);

-- Personal data, apart from the trail: events carry only `digest`.
CREATE TABLE complainants (
  complaint_id     TEXT    PRIMARY KEY REFERENCES complaints (id),
  salt             TEXT    NOT NULL,
  digest           TEXT    NOT NULL,
  data             TEXT    NOT NULL,                   -- base64 Complainant; '' once erased
  erase_time_us    INTEGER
);

-- The audit trail. Append-only: the triggers below refuse UPDATE and DELETE.
CREATE TABLE complaint_events (
  position         INTEGER PRIMARY KEY AUTOINCREMENT,  -- global order
  complaint_id     TEXT    NOT NULL REFERENCES complaints (id),
  sequence         INTEGER NOT NULL,                   -- 1.. per complaint
  type             TEXT    NOT NULL,
  from_state       INTEGER NOT NULL,
  to_state         INTEGER NOT NULL,
  actor            TEXT    NOT NULL,
  request_id       TEXT    NOT NULL,
  event_time_us    INTEGER NOT NULL,
  payload          TEXT    NOT NULL,
  prev_hash        TEXT    NOT NULL,
  hash             TEXT    NOT NULL,
  UNIQUE (complaint_id, sequence)
);

CREATE TRIGGER complaint_events_append_only_update BEFORE UPDATE ON complaint_events
BEGIN
  SELECT RAISE(ABORT, 'complaint_events is append-only');
END;

CREATE TRIGGER complaint_events_append_only_delete BEFORE DELETE ON complaint_events
BEGIN
  SELECT RAISE(ABORT, 'complaint_events is append-only');
END;

-- First successful answer per request_id (AIP-155).
CREATE TABLE idempotency_records (
  request_id       TEXT    PRIMARY KEY,
  method           TEXT    NOT NULL,
  fingerprint      TEXT    NOT NULL,
  complaint_id     TEXT    NOT NULL,
  response         TEXT    NOT NULL,                   -- base64 Complaint, no personal data
  create_time_us   INTEGER NOT NULL
);

-- Human references: one counter per year, never reused.
CREATE TABLE reference_counters (
  year             INTEGER PRIMARY KEY,
  last_value       INTEGER NOT NULL
);
