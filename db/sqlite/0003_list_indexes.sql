-- Redress schema v3: composite indexes for the common ListComplaints filters
-- (state with category, channel or assignee; the handler's "my open
-- complaints"), so that a filtered page reads only matching rows instead of
-- walking one condition's index and testing the other (bench/RESULTS.md:
-- "state = CLOSED AND category = ..." walked every complaint of the
-- category). Pages are ordered by seq, the last column of each index.
CREATE INDEX complaints_by_state_category ON complaints (state, category, seq);
CREATE INDEX complaints_by_state_channel ON complaints (state, channel, seq);
CREATE INDEX complaints_by_state_assignee ON complaints (state, assignee, seq);
