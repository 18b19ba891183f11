-- Redress schema v1 (PostgreSQL). Applied in one transaction with its version
-- row. Same tables and meaning as db/sqlite/0001_initial.sql.

CREATE TABLE complaints (
  seq              BIGSERIAL PRIMARY KEY,
  id               TEXT    NOT NULL UNIQUE,
  reference        TEXT    NOT NULL UNIQUE,
  state            INTEGER NOT NULL,
  channel          INTEGER NOT NULL,
  category         TEXT    NOT NULL,
  assignee         TEXT    NOT NULL,
  create_time_us   BIGINT  NOT NULL,
  update_time_us   BIGINT  NOT NULL,
  version          BIGINT  NOT NULL,
  last_event_hash  TEXT    NOT NULL,
  body             TEXT    NOT NULL
);
CREATE INDEX complaints_by_state ON complaints (state, seq);
CREATE INDEX complaints_by_category ON complaints (category, seq);
CREATE INDEX complaints_by_assignee ON complaints (assignee, seq);
CREATE INDEX complaints_by_create_time ON complaints (create_time_us, seq);

CREATE TABLE complainants (
  complaint_id     TEXT    PRIMARY KEY REFERENCES complaints (id),
  salt             TEXT    NOT NULL,
  digest           TEXT    NOT NULL,
  data             TEXT    NOT NULL,
  erase_time_us    BIGINT
);

CREATE TABLE complaint_events (
  position         BIGSERIAL PRIMARY KEY,
  complaint_id     TEXT    NOT NULL REFERENCES complaints (id),
  sequence         BIGINT  NOT NULL,
  type             TEXT    NOT NULL,
  from_state       INTEGER NOT NULL,
  to_state         INTEGER NOT NULL,
  actor            TEXT    NOT NULL,
  request_id       TEXT    NOT NULL,
  event_time_us    BIGINT  NOT NULL,
  payload          TEXT    NOT NULL,
  prev_hash        TEXT    NOT NULL,
  hash             TEXT    NOT NULL,
  UNIQUE (complaint_id, sequence)
);

CREATE FUNCTION complaint_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'complaint_events is append-only';
END;
$$;

CREATE TRIGGER complaint_events_append_only
  BEFORE UPDATE OR DELETE ON complaint_events
  FOR EACH ROW EXECUTE FUNCTION complaint_events_append_only();

CREATE TRIGGER complaint_events_no_truncate
  BEFORE TRUNCATE ON complaint_events
  FOR EACH STATEMENT EXECUTE FUNCTION complaint_events_append_only();

CREATE TABLE idempotency_records (
  request_id       TEXT    PRIMARY KEY,
  method           TEXT    NOT NULL,
  fingerprint      TEXT    NOT NULL,
  complaint_id     TEXT    NOT NULL,
  response         TEXT    NOT NULL,
  create_time_us   BIGINT  NOT NULL
);

CREATE TABLE reference_counters (
  year             INTEGER PRIMARY KEY,
  last_value       BIGINT  NOT NULL
);
