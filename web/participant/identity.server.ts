import { z } from "zod";
import { idSchema } from "../../api/validation";

/**
 * Who the participant is, from cookies the server sets, so forms work with
 * JavaScript off. Prolific's URL parameters win when present: PROLIFIC_PID is
 * the participant, SESSION_ID the session, STUDY_ID is kept on every record.
 */
export type Identity = { userId: string; sessionId: string; prolificStudyId: string | null };

const PARTICIPANT = "lsp_pid";
const SESSION = "lsp_sid";
const STUDY = "lsp_study";
const YEAR = 60 * 60 * 24 * 365;

function readCookies(request: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    try {
      cookies.set(name, decodeURIComponent(part.slice(eq + 1).trim()));
    } catch {
      // a cookie we cannot decode is not ours
    }
  }
  return cookies;
}

const validId = (value: string | null | undefined): string | null =>
  value !== null && value !== undefined && idSchema.safeParse(value).success ? value : null;

const prolificParams = z.object({
  PROLIFIC_PID: z.string().nullable(),
  SESSION_ID: z.string().nullable(),
  STUDY_ID: z.string().nullable(),
});

/**
 * The participant's identity, and the Set-Cookie headers that keep it. New
 * visitors get fresh random ids; Prolific's parameters override cookies.
 */
export function identify(request: Request): { identity: Identity; setCookies: string[] } {
  const cookies = readCookies(request);
  const url = new URL(request.url);
  const prolific = prolificParams.parse({
    PROLIFIC_PID: url.searchParams.get("PROLIFIC_PID"),
    SESSION_ID: url.searchParams.get("SESSION_ID"),
    STUDY_ID: url.searchParams.get("STUDY_ID"),
  });
  const fromProlific = validId(prolific.PROLIFIC_PID);
  const identity: Identity = {
    userId: fromProlific ?? validId(cookies.get(PARTICIPANT)) ?? crypto.randomUUID(),
    sessionId:
      validId(prolific.SESSION_ID) ??
      (fromProlific ? null : validId(cookies.get(SESSION))) ??
      crypto.randomUUID(),
    prolificStudyId: validId(prolific.STUDY_ID) ?? (fromProlific ? null : validId(cookies.get(STUDY))),
  };
  const secure = url.protocol === "https:" ? "; Secure" : "";
  const attributes = `; Path=/; HttpOnly; SameSite=Lax${secure}`;
  const setCookies: string[] = [];
  if (cookies.get(PARTICIPANT) !== identity.userId) {
    setCookies.push(`${PARTICIPANT}=${encodeURIComponent(identity.userId)}${attributes}; Max-Age=${YEAR}`);
  }
  // The session lasts as long as the browser session.
  if (cookies.get(SESSION) !== identity.sessionId) {
    setCookies.push(`${SESSION}=${encodeURIComponent(identity.sessionId)}${attributes}`);
  }
  if (identity.prolificStudyId && cookies.get(STUDY) !== identity.prolificStudyId) {
    setCookies.push(`${STUDY}=${encodeURIComponent(identity.prolificStudyId)}${attributes}; Max-Age=${YEAR}`);
  } else if (!identity.prolificStudyId && cookies.has(STUDY)) {
    setCookies.push(`${STUDY}=${attributes}; Max-Age=0`);
  }
  return { identity, setCookies };
}

export function withCookies(headers: Headers, setCookies: string[]): Headers {
  for (const cookie of setCookies) headers.append("Set-Cookie", cookie);
  return headers;
}
