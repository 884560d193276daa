/**
 * What the end page says for an outcome: its heading, the message when
 * the study gives none, and the line for a participant who comes back
 * after their part ended.
 */
export function endingTexts(outcome: string): { heading: string; message: string; returning: string } {
  if (outcome === "completed") {
    return {
      heading: "Study complete",
      message: "Thank you for taking part.",
      returning: "You have already completed this study, so you cannot take part again.",
    };
  }
  if (outcome === "timed-out") {
    return {
      heading: "Time is up",
      message: "The time for this study is up, so your part in it has ended. Thank you for taking part.",
      returning: "Your time for this study is up, so you cannot send more messages or take part again.",
    };
  }
  return {
    heading: "Study ended",
    message: "Your part in this study has ended. Thank you for your time.",
    returning: "Your part in this study has already ended, so you cannot take part again.",
  };
}
