/**
 * Why a study takes no new participants although it is active: its file
 * changed while its version did not (api/studies/deployed.ts), or one of its
 * conditions needs an LLM this deployment has not configured
 * (api/studies/llms.ts). Each says what the researcher must do.
 */
export const STUDY_PROBLEM_CODES = ["DEFINITION_CHANGED", "LLM_NOT_CONFIGURED"] as const;
export type StudyProblemCode = (typeof STUDY_PROBLEM_CODES)[number];

export type StudyProblem = {
  code: StudyProblemCode;
  /** The condition it concerns; null for the whole study. */
  condition: string | null;
  /** What is wrong and how to fix it, for the researcher (no secret). */
  message: string;
};
