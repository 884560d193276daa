-- Input signals (docs/tracking.md#input-signals): how a message was
-- written, as counts and durations without its content (pastes, key
-- presses, typing time, focus lost), for studies with botSignals on. JSON
-- text of api/signals/input-signals.ts InputSignals; NULL for messages
-- without (the study does not record them, JavaScript was off, or the
-- message was stored before this migration). Deleted with its query on
-- withdrawal.
ALTER TABLE queries ADD COLUMN input_signals TEXT;

-- The per-participant summary (Store.participantSignals) reads a study's
-- messages with signals by participant.
CREATE INDEX queries_study_user_signals ON queries (study_id, user_id) WHERE input_signals IS NOT NULL;
