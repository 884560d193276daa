import type { builder } from "../builder";
import { idSchema } from "../domain/validation";

/**
 * The fields by which a participant input names its participant: claims,
 * checked against the caller's credential (api/participants/guard.ts
 * checkClaims), never their identity. The contract's inputs carry them
 * required (QueryInput, LogEventInput) or optional (the study steps, a
 * click); one definition for all of them.
 */
type InputFields = Parameters<Parameters<typeof builder.inputType>[1]["fields"]>[0];

/**
 * `validated: false` leaves the checks to the caller (LogEventInput checks
 * a whole batch with one zod parse, see events.ts).
 */
export const requiredClaims = (t: InputFields, { validated }: { validated: boolean }) => ({
  userId: t.id({
    required: true,
    description: "The participant: must be the credential's (startSession's userId).",
    ...(validated ? { validate: idSchema } : {}),
  }),
  sessionId: t.id({
    required: true,
    description: "The participant's session: must be the credential's.",
    ...(validated ? { validate: idSchema } : {}),
  }),
  prolificStudyId: t.id({
    description:
      "Prolific's STUDY_ID: the record takes it from the participant's session; when given, it must be the session's.",
    ...(validated ? { validate: idSchema.optional() } : {}),
  }),
});

export const optionalClaims = (t: InputFields) => ({
  userId: t.id({
    description: "The participant, when given: must be the credential's.",
    validate: idSchema.optional(),
  }),
  sessionId: t.id({
    description: "The participant's session, when given: must be the credential's.",
    validate: idSchema.optional(),
  }),
  prolificStudyId: t.id({
    description: "Prolific's STUDY_ID, when given: must be the session's.",
    validate: idSchema.optional(),
  }),
});
