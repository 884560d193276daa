import type { Condition } from "./definition";

/**
 * The texts a participant sees that depend on their condition: the study
 * file's own, or one that fits the condition's settings (never "answers
 * cite their sources" where none are shown).
 */
export type ConditionTexts = {
  /** Shown in the chat before the first message. */
  emptyChat: string;
  /** The label of the feedback button under each answer; null: no button. */
  feedbackLabel: string | null;
};

type TextSettings = Pick<Condition, "showSources" | "citations" | "texts" | "feedback">;

function defaultEmptyChat(settings: TextSettings): string {
  if (!settings.showSources) return "Ask a question to start.";
  if (settings.citations === "list-only") {
    return "Ask a question to start. Answers list their sources; open any you like.";
  }
  return "Ask a question to start. Answers cite their sources; open any you like.";
}

export function conditionTexts(settings: TextSettings): ConditionTexts {
  return {
    emptyChat: settings.texts.emptyChat ?? defaultEmptyChat(settings),
    feedbackLabel: settings.feedback?.label ?? null,
  };
}

/**
 * The open chat (outside a study, the platform's own demo): sources shown and
 * cited, and a feedback button, which a study's condition has only when its
 * file asks for one.
 */
export const OPEN_CHAT_TEXTS: ConditionTexts = conditionTexts({
  showSources: true,
  citations: "numbered",
  texts: {},
  feedback: { label: "This answer helped" },
});
