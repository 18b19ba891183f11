-- Redress schema v4 (issue #14): who caused what, beyond forgery.
--
-- 1. An idempotency record belongs to the principal that created it. A
--    request_id presented again by a different principal is refused
--    (ALREADY_EXISTS) and never answered with the first principal's
--    complaint. Existing records take the actor of the event they recorded
--    (same complaint, same request_id); a record without one keeps '' and
--    matches no principal.
ALTER TABLE idempotency_records ADD COLUMN principal TEXT NOT NULL DEFAULT '';
UPDATE idempotency_records SET principal = COALESCE((
  SELECT e.actor FROM complaint_events e
  WHERE e.complaint_id = idempotency_records.complaint_id
    AND e.request_id = idempotency_records.request_id
  ORDER BY e.sequence LIMIT 1), '');

-- 2. Every new event records whether its actor is a principal (1) or Redress
--    itself (2); it is part of the hashed encoding (version 2,
--    compliance-docs/audit-trail.md section 2). Events recorded before keep 0
--    and their version-1 hashes. (Adding a column is not an UPDATE: the
--    append-only guard is untouched.)
ALTER TABLE complaint_events ADD COLUMN actor_kind INTEGER NOT NULL DEFAULT 0;
