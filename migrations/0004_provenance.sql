-- Provenance and presentation (issue 10): each answer keeps the text as the
-- participant saw it (markers renumbered or removed by the condition), the
-- sources as the model returned them (`sources` is now the list as shown,
-- each with its displayed and original rank), and its provenance as JSON:
-- provider, requested model, system prompt hash, parameters, how its sources
-- and markers were presented, and the hash of the study file as deployed.
-- Queries stored before this keep NULL here: they were shown as the model
-- gave them (the adapters read them so).

ALTER TABLE queries ADD COLUMN displayed_response TEXT;
ALTER TABLE queries ADD COLUMN model_sources TEXT;
ALTER TABLE queries ADD COLUMN provenance TEXT;
