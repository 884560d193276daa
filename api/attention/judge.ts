import type { AttentionRule } from "./definition";

/**
 * A reply as the rules compare it: trimmed, every run of white space one
 * space, and lowercased unless the rule is case-sensitive. The expected
 * answers of `equals` and `oneOf` are normalised the same way.
 */
function normalise(text: string, caseSensitive: boolean): string {
  const spaced = text.trim().replace(/\s+/gu, " ");
  return caseSensitive ? spaced : spaced.toLocaleLowerCase("en");
}

/** Whether a participant's reply passes the check's rule. */
export function judge(rule: AttentionRule, reply: string): boolean {
  const given = normalise(reply, rule.caseSensitive);
  if (rule.equals !== undefined) return given === normalise(rule.equals, rule.caseSensitive);
  if (rule.oneOf !== undefined) return rule.oneOf.some((a) => given === normalise(a, rule.caseSensitive));
  if (rule.matches !== undefined)
    return new RegExp(rule.matches, rule.caseSensitive ? "u" : "iu").test(given);
  return false;
}
