import { sign, verify } from "../crypto/hmac";

/**
 * The page renders each link of an answer with a signature over (answer id,
 * URL), which the click route verifies: it only ever redirects to a link
 * that this deployment rendered for that answer.
 */
const message = (answerId: string, url: string) => `link\u0000${answerId}\u0000${url}`;

export function signLink(secrets: readonly string[], answerId: string, url: string): Promise<string> {
  return sign(secrets, message(answerId, url));
}

export function verifyLink(
  secrets: readonly string[],
  answerId: string,
  url: string,
  signature: string,
): Promise<boolean> {
  return verify(secrets, message(answerId, url), signature);
}
