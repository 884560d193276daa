/**
 * Researcher tokens: `Authorization: Bearer <token>`, checked against every
 * configured token in constant time (both sides hashed to equal-length
 * digests, every byte of every token compared), so response time says
 * nothing about a token's prefix.
 */
async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

export function bearerToken(request: Request): string | null {
  const header = request.headers.get("authorization");
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

export async function isResearcherToken(token: string | null, tokens: string[]): Promise<boolean> {
  if (token === null || tokens.length === 0) return false;
  const given = await digest(token);
  let matched = 0;
  for (const candidate of tokens) {
    const wanted = await digest(candidate);
    let diff = 0;
    for (let i = 0; i < wanted.length; i++) diff |= (wanted[i] ?? 0) ^ (given[i] ?? 0);
    matched |= diff === 0 ? 1 : 0;
  }
  return matched === 1;
}
