import { renderAnswer } from "../markdown/render.server";
import type { AnswerHtml } from "./timeline";

/**
 * An answer in a researcher's timeline, rendered from the Markdown the
 * participant was shown (its displayedResponse) with the renderer of the
 * chat, but inert: citation markers and the model's links as their text, so
 * that reading a timeline never goes through the click route (/out) and
 * never records a click.
 */
export const timelineAnswerHtml: AnswerHtml = (answer) =>
  answer.displayedResponse
    ? renderAnswer(answer.displayedResponse, answer.id, {
        sources: answer.sources.map(({ url, rank, originalRank }) => ({ url, rank, originalRank })),
        markers: "text",
        answerLinks: "text",
        signatures: new Map(),
      })
    : null;
