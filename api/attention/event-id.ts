/**
 * The eventId of a participant's reply to one check: derived from study,
 * participant and check (SHA-256, shaped as a UUID, version nibble 8), so
 * the store keeps one reply per check however many requests race, and a
 * participant cannot pre-empt it (logEvents refuses ATTENTION_CHECK).
 */
export async function attentionEventId(studyId: string, userId: string, checkId: string): Promise<string> {
  const data = new TextEncoder().encode(JSON.stringify(["attention-check", studyId, userId, checkId]));
  const bytes = new Uint8Array(await crypto.subtle.digest("SHA-256", data)).slice(0, 16);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x80;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
