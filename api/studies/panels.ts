import { z } from "zod";
import { idSchema } from "../domain/validation";
import type { Panel } from "../participants/participant";

/**
 * The one list of recruiting panels: for each kind, which URL parameters of
 * the study link carry the panel's participant id, its study id and its
 * session (or assignment) id, how the panel's link template writes them, and
 * how a participant goes back at the end. docs/recruiting.md says where each
 * convention is documented and what only a live panel account can confirm.
 *
 * The ids are data, never identity (docs/decisions/007-participant-identity.md):
 * they are stored on every record as panelParticipantId, prolificStudyId
 * (panelStudyId) and panelSessionId, whichever the panel.
 */

export const PANEL_KINDS = ["prolific", "mturk", "connect", "sona", "qualtrics", "generic"] as const;
export type PanelKind = (typeof PANEL_KINDS)[number];

/** The names of the link's parameters: the participant id always, the others when the panel has them. */
export type PanelParameters = { participantId: string; studyId?: string; sessionId?: string };

/** How the participant goes back to the panel when they finish. */
export type PanelReturn =
  /** The study's completion redirect (completion.redirectUrl), if it has one; the code is shown either way. */
  | "redirect"
  /** A form POST to `<turkSubmitTo>/mturk/externalSubmit` (MTurk's ExternalQuestion). */
  | "mturk-submit";

type PanelDescription = {
  name: string;
  /** Fixed names; null for the generic panel, whose study file names them. */
  parameters: PanelParameters | null;
  /**
   * What the researcher writes as each parameter's value in the link they
   * give the panel, which the panel replaces per participant; null: the
   * panel appends its parameters itself (MTurk).
   */
  placeholders: { participantId: string; studyId?: string; sessionId?: string } | null;
  return: PanelReturn;
};

export const PANELS: Record<PanelKind, PanelDescription> = {
  prolific: {
    name: "Prolific",
    parameters: { participantId: "PROLIFIC_PID", studyId: "STUDY_ID", sessionId: "SESSION_ID" },
    placeholders: {
      participantId: "{{%PROLIFIC_PID%}}",
      studyId: "{{%STUDY_ID%}}",
      sessionId: "{{%SESSION_ID%}}",
    },
    return: "redirect",
  },
  mturk: {
    name: "Amazon Mechanical Turk (ExternalQuestion)",
    parameters: { participantId: "workerId", studyId: "hitId", sessionId: "assignmentId" },
    placeholders: null,
    return: "mturk-submit",
  },
  connect: {
    name: "CloudResearch Connect",
    parameters: { participantId: "participantId", studyId: "projectId", sessionId: "assignmentId" },
    placeholders: {
      participantId: "{{participantId}}",
      studyId: "{{projectId}}",
      sessionId: "{{assignmentId}}",
    },
    return: "redirect",
  },
  sona: {
    name: "SONA Systems",
    parameters: { participantId: "survey_code" },
    placeholders: { participantId: "%SURVEY_CODE%" },
    return: "redirect",
  },
  qualtrics: {
    name: "Qualtrics (a survey that links to the study)",
    parameters: { participantId: "ResponseID" },
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Qualtrics' piped text, not a template
    placeholders: { participantId: "${e://Field/ResponseID}" },
    return: "redirect",
  },
  generic: { name: "Any other panel", parameters: null, placeholders: null, return: "redirect" },
};

/** MTurk's hosts: production and the sandbox. turkSubmitTo is accepted only when it is one of them. */
export const MTURK_ORIGINS = ["https://www.mturk.com", "https://workersandbox.mturk.com"] as const;

/** What MTurk puts in assignmentId while a worker previews the HIT (before accepting it). */
export const MTURK_PREVIEW_ASSIGNMENT = "ASSIGNMENT_ID_NOT_AVAILABLE";

/** The STUDY_ID (or the panel's study id) of pilot participants: scripts/simulate marks its own with `simulated`. */
export const PILOT_STUDY_ID = "pilot";

const parameterName = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "must be 1 to 64 letters, digits, dots, dashes or underscores");

/** The study file's `panel` (api/studies/definition.ts): the kind, and for "generic" its parameter names. */
const fixedPanel = <K extends Exclude<PanelKind, "generic">>(kind: K) =>
  z.object({ kind: z.literal(kind) }).strict();

/** The study file's `panel` (api/studies/definition.ts): the kind, and for "generic" its parameter names. */
export const panelSchema = z
  .discriminatedUnion(
    "kind",
    [
      fixedPanel("prolific"),
      fixedPanel("mturk"),
      fixedPanel("connect"),
      fixedPanel("sona"),
      fixedPanel("qualtrics"),
      z
        .object({
          kind: z.literal("generic"),
          params: z
            .object({
              participantId: parameterName,
              studyId: parameterName.optional(),
              sessionId: parameterName.optional(),
            })
            .strict()
            .refine((p) => new Set(Object.values(p)).size === Object.values(p).length, {
              message: "each id needs a parameter of its own",
            }),
        })
        .strict(),
    ],
    {
      message: `must be one of ${PANEL_KINDS.map((k) => `{"kind": "${k}"}`).join(", ")} (generic also needs "params")`,
    },
  )
  .default({ kind: "prolific" });

export type StudyPanel =
  | { kind: Exclude<PanelKind, "generic"> }
  | { kind: "generic"; params: PanelParameters };

/** The panel of the open chat (`/`, no study): Prolific's names, as before studies named their panel. */
export const OPEN_CHAT_PANEL: StudyPanel = { kind: "prolific" };

/** The names of the link parameters that carry the panel's ids. */
export function panelParameters(panel: StudyPanel): PanelParameters {
  if (panel.kind === "generic") return panel.params;
  const fixed = PANELS[panel.kind].parameters;
  if (!fixed) throw new Error(`panel ${panel.kind} has no fixed parameters`);
  return fixed;
}

/** What a study link says about the participant, read by the study's panel. */
export type PanelLink = {
  /** The ids to bind to the session (all null in a preview). */
  ids: Panel;
  /** MTurk's preview of a HIT not yet accepted: show the preview page, store nothing. */
  preview: boolean;
  /** MTurk's turkSubmitTo, when it is one of MTURK_ORIGINS (its origin); null otherwise. */
  submitTo: string | null;
};

const idParam = (query: URLSearchParams, name: string | undefined): string | null => {
  if (!name) return null;
  const value = query.get(name);
  return value !== null && idSchema.safeParse(value).success ? value : null;
};

/**
 * The origin of an MTurk turkSubmitTo that is MTurk's (production or
 * sandbox, https, no path beyond "/", no credentials, query or fragment);
 * null for anything else, which is then ignored.
 */
export function mturkSubmitOrigin(value: string | null): string | null {
  if (value === null || value.length > 200) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== "/" && url.pathname !== ""))
    return null;
  return (MTURK_ORIGINS as readonly string[]).includes(url.origin) ? url.origin : null;
}

/** Reads the study link's query by the study's panel. Values that are not ids (empty, too long, control characters) are ignored. */
export function readPanelLink(panel: StudyPanel, query: URLSearchParams): PanelLink {
  const names = panelParameters(panel);
  if (panel.kind === "mturk" && query.get(names.sessionId ?? "") === MTURK_PREVIEW_ASSIGNMENT) {
    return { ids: { participantId: null, studyId: null, sessionId: null }, preview: true, submitTo: null };
  }
  const ids: Panel = {
    participantId: idParam(query, names.participantId),
    studyId: idParam(query, names.studyId),
    sessionId: idParam(query, names.sessionId),
  };
  const submitTo = panel.kind === "mturk" ? mturkSubmitOrigin(query.get("turkSubmitTo")) : null;
  return { ids, preview: false, submitTo };
}

/** The form a finished MTurk worker posts: to `<turkSubmitTo>/mturk/externalSubmit`, with assignmentId and the code. */
export type PanelSubmit = { action: string; fields: { name: string; value: string }[] };

/**
 * The panel's submission at the end, for a participant whose session holds
 * a turkSubmitTo from MTurk's allowlist and an assignmentId; null otherwise
 * (no MTurk session, or a pilot without turkSubmitTo: the code is shown).
 */
export function panelSubmit(
  panel: StudyPanel,
  ids: Panel,
  submitTo: string | null,
  code: string,
): PanelSubmit | null {
  if (PANELS[panel.kind].return !== "mturk-submit") return null;
  const origin = mturkSubmitOrigin(submitTo);
  if (!origin || !ids.sessionId) return null;
  return {
    action: `${origin}/mturk/externalSubmit`,
    fields: [
      { name: "assignmentId", value: ids.sessionId },
      { name: "completionCode", value: code },
    ],
  };
}

/**
 * The origins a panel's finish page may post a form to (its
 * Content-Security-Policy form-action): MTurk's two hosts for MTurk, none
 * for the others (they take the participant back by a redirect).
 */
export function panelFormOrigins(kind: string): readonly string[] {
  return kind === "mturk" ? MTURK_ORIGINS : [];
}

/** The origins that frame a panel's study pages (MTurk shows an ExternalQuestion in an iframe of its HIT page). */
export function panelFrameOrigins(panel: StudyPanel): readonly string[] {
  return panel.kind === "mturk" ? MTURK_ORIGINS : [];
}

const query = (pairs: [string, string][]) =>
  pairs.length === 0 ? "" : `?${pairs.map(([k, v]) => `${k}=${v}`).join("&")}`;

/**
 * The link the researcher gives the panel, with the panel's placeholders
 * (Prolific's `{{%PROLIFIC_PID%}}`, SONA's `%SURVEY_CODE%`, ...); for MTurk
 * the bare link (MTurk appends its parameters), for the generic panel the
 * study's parameter names with `{participantId}`-style stand-ins.
 */
export function templateLink(base: string, studyId: string, panel: StudyPanel): string {
  const names = panelParameters(panel);
  const placeholders = PANELS[panel.kind].placeholders;
  const link = `${base}/s/${studyId}`;
  if (panel.kind === "mturk") return link;
  const pairs: [string, string][] = [];
  for (const key of ["participantId", "studyId", "sessionId"] as const) {
    const name = names[key];
    if (name) pairs.push([name, placeholders?.[key] ?? `{${key}}`]);
  }
  return `${link}${query(pairs)}`;
}

/**
 * A fresh pilot link's path and query: the study link with new random ids in
 * the panel's parameters, the study id PILOT_STUDY_ID, so each tester is a
 * participant of their own and researchers can tell pilots from real
 * participants (and drop them from the analysis).
 */
export function pilotPath(
  studyId: string,
  panel: StudyPanel,
  random: () => string = () => crypto.randomUUID(),
): string {
  const names = panelParameters(panel);
  const pairs: [string, string][] = [[names.participantId, `pilot-${random()}`]];
  if (names.studyId) pairs.push([names.studyId, PILOT_STUDY_ID]);
  if (names.sessionId) pairs.push([names.sessionId, `pilot-${random()}`]);
  return `/s/${studyId}${query(pairs.map(([k, v]) => [encodeURIComponent(k), encodeURIComponent(v)]))}`;
}
