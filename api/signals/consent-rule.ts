/**
 * A study that records input signals (`botSignals`) must say so in its
 * consent text: the text must name pasting (paste, pastes, pasted,
 * pasting) and typing (typing, typed, keystroke, keystrokes), as whole
 * words in any case. The study file is refused otherwise (the registry's
 * build, `npm start` and the Worker's start all validate it), so no
 * participant consents without being told. docs/studies.md.
 */
const PASTE = /\bpast(?:e|es|ed|ing)\b/i;
const TYPING = /\b(?:typing|typed|keystrokes?)\b/i;

/** An example sentence that satisfies the rule, for the error message and the docs. */
export const SIGNALS_CONSENT_EXAMPLE =
  "We also record how you write your messages: how many characters you paste, your keystrokes and your typing time, never what you type or paste.";

/** What the consent text still has to mention; empty when it names both. */
export function missingConsentMentions(consent: string): string[] {
  const missing: string[] = [];
  if (!PASTE.test(consent)) missing.push('pasting ("paste", "pasted" or "pasting")');
  if (!TYPING.test(consent)) missing.push('typing ("typing", "typed" or "keystrokes")');
  return missing;
}

export function consentProblem(consent: string): string | null {
  const missing = missingConsentMentions(consent);
  if (missing.length === 0) return null;
  return `botSignals is on, so the consent text must tell participants that their pasting and typing are recorded; it does not mention ${missing.join(" or ")}. Add a sentence such as: "${SIGNALS_CONSENT_EXAMPLE}"`;
}
