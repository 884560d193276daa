import { describe, expect, it } from "vitest";
import {
  MTURK_ORIGINS,
  mturkSubmitOrigin,
  PANEL_KINDS,
  PANELS,
  panelFormOrigins,
  panelFrameOrigins,
  panelParameters,
  panelSchema,
  panelSubmit,
  pilotPath,
  readPanelLink,
  type StudyPanel,
  templateLink,
} from "./panels";

const q = (text: string) => new URLSearchParams(text);
const fixed = (kind: Exclude<StudyPanel["kind"], "generic">): StudyPanel => ({ kind });

describe("the panel list", () => {
  it("names each panel's parameters", () => {
    expect(panelParameters(fixed("prolific"))).toEqual({
      participantId: "PROLIFIC_PID",
      studyId: "STUDY_ID",
      sessionId: "SESSION_ID",
    });
    expect(panelParameters(fixed("mturk"))).toEqual({
      participantId: "workerId",
      studyId: "hitId",
      sessionId: "assignmentId",
    });
    expect(panelParameters(fixed("connect"))).toEqual({
      participantId: "participantId",
      studyId: "projectId",
      sessionId: "assignmentId",
    });
    expect(panelParameters(fixed("sona"))).toEqual({ participantId: "survey_code" });
    expect(panelParameters(fixed("qualtrics"))).toEqual({ participantId: "ResponseID" });
    expect(panelParameters({ kind: "generic", params: { participantId: "pid", sessionId: "s" } })).toEqual({
      participantId: "pid",
      sessionId: "s",
    });
  });

  it("has a description for every kind, and only MTurk takes a form or frames the study", () => {
    for (const kind of PANEL_KINDS) expect(PANELS[kind].name).not.toBe("");
    expect(PANEL_KINDS.filter((k) => PANELS[k].return === "mturk-submit")).toEqual(["mturk"]);
    expect(panelFormOrigins("mturk")).toEqual(["https://www.mturk.com", "https://workersandbox.mturk.com"]);
    expect(panelFormOrigins("prolific")).toEqual([]);
    expect(panelFrameOrigins(fixed("mturk"))).toEqual(MTURK_ORIGINS);
    expect(panelFrameOrigins(fixed("sona"))).toEqual([]);
  });
});

describe("the study file's panel", () => {
  it("defaults to Prolific, and the generic panel must name its parameters", () => {
    expect(panelSchema.parse(undefined)).toEqual({ kind: "prolific" });
    expect(panelSchema.parse({ kind: "sona" })).toEqual({ kind: "sona" });
    expect(panelSchema.safeParse({ kind: "generic" }).success).toBe(false);
    expect(panelSchema.safeParse({ kind: "generic", params: { participantId: "a b" } }).success).toBe(false);
    expect(
      panelSchema.safeParse({ kind: "generic", params: { participantId: "p", sessionId: "p" } }).success,
    ).toBe(false);
    expect(panelSchema.safeParse({ kind: "sona", params: { participantId: "p" } }).success).toBe(false);
    expect(panelSchema.safeParse({ kind: "toloka" }).success).toBe(false);
  });
});

describe("readPanelLink", () => {
  it("reads the panel's own parameters and no other panel's", () => {
    const link = "PROLIFIC_PID=pp&STUDY_ID=st&SESSION_ID=se&workerId=w&hitId=h&assignmentId=a";
    expect(readPanelLink(fixed("prolific"), q(link)).ids).toEqual({
      participantId: "pp",
      studyId: "st",
      sessionId: "se",
    });
    expect(readPanelLink(fixed("mturk"), q(link)).ids).toEqual({
      participantId: "w",
      studyId: "h",
      sessionId: "a",
    });
    expect(readPanelLink(fixed("sona"), q("survey_code=12345&PROLIFIC_PID=x")).ids).toEqual({
      participantId: "12345",
      studyId: null,
      sessionId: null,
    });
    expect(readPanelLink(fixed("qualtrics"), q("ResponseID=R_abc")).ids.participantId).toBe("R_abc");
    const generic: StudyPanel = { kind: "generic", params: { participantId: "pid", studyId: "wave" } };
    expect(readPanelLink(generic, q("pid=p1&wave=2&PROLIFIC_PID=x")).ids).toEqual({
      participantId: "p1",
      studyId: "2",
      sessionId: null,
    });
  });

  it("ignores values that are not ids", () => {
    const long = "x".repeat(129);
    expect(
      readPanelLink(fixed("prolific"), q(`PROLIFIC_PID=&STUDY_ID=${long}&SESSION_ID=a%0Ab`)).ids,
    ).toEqual({
      participantId: null,
      studyId: null,
      sessionId: null,
    });
  });

  it("MTurk's preview binds nothing and says it is a preview", () => {
    const link = readPanelLink(
      fixed("mturk"),
      q("assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE&hitId=h&turkSubmitTo=https%3A%2F%2Fwww.mturk.com"),
    );
    expect(link).toEqual({
      ids: { participantId: null, studyId: null, sessionId: null },
      preview: true,
      submitTo: null,
    });
    expect(readPanelLink(fixed("prolific"), q("SESSION_ID=ASSIGNMENT_ID_NOT_AVAILABLE")).preview).toBe(false);
  });

  it("takes turkSubmitTo only from MTurk's production and sandbox hosts", () => {
    const submitTo = (value: string) =>
      readPanelLink(fixed("mturk"), q(`workerId=w&assignmentId=a&turkSubmitTo=${encodeURIComponent(value)}`))
        .submitTo;
    expect(submitTo("https://www.mturk.com")).toBe("https://www.mturk.com");
    expect(submitTo("https://www.mturk.com/")).toBe("https://www.mturk.com");
    expect(submitTo("https://workersandbox.mturk.com")).toBe("https://workersandbox.mturk.com");
    for (const bad of [
      "http://www.mturk.com",
      "https://www.mturk.com.evil.example",
      "https://evil.example/?https://www.mturk.com",
      "https://user@www.mturk.com",
      "https://www.mturk.com/mturk/externalSubmit",
      "https://www.mturk.com:8443",
      "javascript:alert(1)",
      "https://mturk.com",
    ])
      expect(submitTo(bad), bad).toBeNull();
    expect(readPanelLink(fixed("prolific"), q("turkSubmitTo=https://www.mturk.com")).submitTo).toBeNull();
    expect(mturkSubmitOrigin(null)).toBeNull();
  });
});

describe("panelSubmit", () => {
  const ids = { participantId: "w", studyId: "h", sessionId: "a-1" };
  it("posts assignmentId and the code to <turkSubmitTo>/mturk/externalSubmit", () => {
    expect(panelSubmit(fixed("mturk"), ids, "https://workersandbox.mturk.com", "DONE")).toEqual({
      action: "https://workersandbox.mturk.com/mturk/externalSubmit",
      fields: [
        { name: "assignmentId", value: "a-1" },
        { name: "completionCode", value: "DONE" },
      ],
    });
  });

  it("is null without an MTurk host, an assignment, or for other panels", () => {
    expect(panelSubmit(fixed("mturk"), ids, null, "DONE")).toBeNull();
    expect(panelSubmit(fixed("mturk"), ids, "https://evil.example", "DONE")).toBeNull();
    expect(panelSubmit(fixed("mturk"), { ...ids, sessionId: null }, "https://www.mturk.com", "D")).toBeNull();
    expect(panelSubmit(fixed("prolific"), ids, "https://www.mturk.com", "DONE")).toBeNull();
  });
});

describe("the links npm start prints", () => {
  const base = "http://localhost:8787";
  it("are each panel's template", () => {
    expect(templateLink(base, "demo", fixed("prolific"))).toBe(
      "http://localhost:8787/s/demo?PROLIFIC_PID={{%PROLIFIC_PID%}}&STUDY_ID={{%STUDY_ID%}}&SESSION_ID={{%SESSION_ID%}}",
    );
    expect(templateLink(base, "demo", fixed("mturk"))).toBe("http://localhost:8787/s/demo");
    expect(templateLink(base, "demo", fixed("sona"))).toBe(
      "http://localhost:8787/s/demo?survey_code=%SURVEY_CODE%",
    );
    expect(templateLink(base, "demo", fixed("connect"))).toBe(
      "http://localhost:8787/s/demo?participantId={{participantId}}&projectId={{projectId}}&assignmentId={{assignmentId}}",
    );
    expect(templateLink(base, "demo", fixed("qualtrics"))).toBe(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Qualtrics' piped text, not a template
      "http://localhost:8787/s/demo?ResponseID=${e://Field/ResponseID}",
    );
    expect(templateLink(base, "demo", { kind: "generic", params: { participantId: "pid" } })).toBe(
      "http://localhost:8787/s/demo?pid={participantId}",
    );
  });

  it("a pilot path has new random ids each time and the study id `pilot`", () => {
    let n = 0;
    const random = () => `r${++n}`;
    expect(pilotPath("demo", fixed("prolific"), random)).toBe(
      "/s/demo?PROLIFIC_PID=pilot-r1&STUDY_ID=pilot&SESSION_ID=pilot-r2",
    );
    expect(pilotPath("demo", fixed("sona"), random)).toBe("/s/demo?survey_code=pilot-r3");
    expect(pilotPath("demo", fixed("prolific"))).not.toBe(pilotPath("demo", fixed("prolific")));
    const path = pilotPath("demo", fixed("mturk"));
    const link = readPanelLink(fixed("mturk"), new URL(path, "http://x").searchParams);
    expect(link.ids.participantId).toMatch(/^pilot-/);
    expect(link.ids.studyId).toBe("pilot");
    expect(link.submitTo).toBeNull();
  });
});
