-- Outcomes (issue 12): how a participant's part of a study ended
-- (completed, timed-out, failed-attention-check, screened-out or a study's
-- own outcome), set once with finished_at. Participants who finished before
-- outcomes existed could only complete.

ALTER TABLE assignments ADD COLUMN outcome TEXT;
UPDATE assignments SET outcome = 'completed' WHERE finished_at IS NOT NULL;
