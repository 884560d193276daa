/**
 * HMAC-SHA256 with the deployment's secrets (SESSION_SECRETS): the first
 * signs, every one verifies, so a secret can be rotated by putting a new one
 * first and dropping the old one once what it signed has expired.
 */
import { base64url, fromBase64url } from "../encoding/base64url";

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function keyOf(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    keys.set(secret, key);
  }
  return key;
}

async function mac(secret: string, message: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.sign("HMAC", await keyOf(secret), encoder.encode(message)));
}

/** The signature of `message` under the signing (first) secret, base64url. */
export async function sign(secrets: readonly string[], message: string): Promise<string> {
  const [signing] = secrets;
  if (!signing) throw new Error("no secret to sign with");
  return base64url(await mac(signing, message));
}

/** Whether `signature` is the signature of `message` under any of the secrets, compared in constant time. */
export async function verify(
  secrets: readonly string[],
  message: string,
  signature: string,
): Promise<boolean> {
  const given = fromBase64url(signature);
  if (!given) return false;
  let matched = 0;
  for (const secret of secrets) {
    const wanted = await mac(secret, message);
    let diff = wanted.length ^ given.length;
    for (let i = 0; i < wanted.length; i++) diff |= (wanted[i] ?? 0) ^ (given[i] ?? 0);
    matched |= diff === 0 ? 1 : 0;
  }
  return matched === 1;
}

/** Every secret's signature of `message`: to recognise a value signed before a rotation (audit HMACs). */
export function signAll(secrets: readonly string[], message: string): Promise<string[]> {
  return Promise.all(secrets.map(async (secret) => base64url(await mac(secret, message))));
}
