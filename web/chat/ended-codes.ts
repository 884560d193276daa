/** The API's refusals of a message from a participant whose part of the study has ended (api/answers/turn.ts). */
export const ENDED_CODES = new Set(["STUDY_FINISHED", "TIME_UP"]);
