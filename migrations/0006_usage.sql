-- Token usage (issue 11): what the provider reported for each answer, as the
-- OpenAI usage object gives it. NULL where the provider reported none (or the
-- answer was stored before this migration); never estimated.

ALTER TABLE queries ADD COLUMN prompt_tokens INTEGER;
ALTER TABLE queries ADD COLUMN completion_tokens INTEGER;
ALTER TABLE queries ADD COLUMN total_tokens INTEGER;
