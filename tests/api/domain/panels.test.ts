import { describe, expect, it } from "vitest";
import { ErrorCode } from "../../../api/errors";
import { readToken } from "../../../api/participants/credential";
import { NO_PANEL } from "../../../api/participants/participant";
import { startSession } from "../../../api/participants/sessions";
import { endStudy } from "../../../api/studies/end-study";
import { finish } from "../../../api/studies/finish";
import { enroll, studyOrError } from "../../../api/studies/participants";
import { as, domainSetup, refused } from "./support";

/** The study's panel reads the link (api/studies/panels.ts) and shapes the way back at the end. */

const MTURK_LINK =
  "workerId=W1&hitId=H1&assignmentId=A1&turkSubmitTo=https%3A%2F%2Fworkersandbox.mturk.com&PROLIFIC_PID=nope";

describe("a study link read by its study's panel", () => {
  it("binds MTurk's ids and its turkSubmitTo, which the signed token carries", async () => {
    const { deps, studyId } = domainSetup({ panel: { kind: "mturk" } });
    const started = await startSession(deps, as(null), {
      studyId: null,
      panel: NO_PANEL,
      link: { studyId, query: MTURK_LINK },
    });
    expect(started.preview).toBe(false);
    expect(started.participant.panel).toEqual({ participantId: "W1", studyId: "H1", sessionId: "A1" });
    expect(started.participant.panelSubmitTo).toBe("https://workersandbox.mturk.com");
    expect(await readToken(started.token, deps.config.sessionSecrets)).toEqual(started.participant);
  });

  it("reads Prolific's names for a study without a panel and for the open chat", async () => {
    const { deps, studyId } = domainSetup();
    const query = "PROLIFIC_PID=pp&STUDY_ID=st&SESSION_ID=se&workerId=W1";
    for (const linkStudy of [studyId, null]) {
      const started = await startSession(deps, as(null), {
        studyId: null,
        panel: NO_PANEL,
        link: { studyId: linkStudy, query },
      });
      expect(started.participant.panel).toEqual({ participantId: "pp", studyId: "st", sessionId: "se" });
    }
  });

  it("gives MTurk's preview no ids, and says it is one", async () => {
    const { deps, studyId } = domainSetup({ panel: { kind: "mturk" } });
    const started = await startSession(deps, as(null), {
      studyId: null,
      panel: NO_PANEL,
      link: { studyId, query: "assignmentId=ASSIGNMENT_ID_NOT_AVAILABLE&hitId=H1&workerId=W1" },
    });
    expect(started.preview).toBe(true);
    expect(started.participant.panel).toEqual(NO_PANEL);
    // Accepting the HIT reloads the page with the ids: they bind to the same session.
    const accepted = await startSession(deps, as(started.participant), {
      studyId: null,
      panel: NO_PANEL,
      link: { studyId, query: MTURK_LINK },
    });
    expect(accepted.preview).toBe(false);
    expect(accepted.participant.userId).toBe(started.participant.userId);
    expect(accepted.participant.panel.sessionId).toBe("A1");
  });

  it("ignores a turkSubmitTo that is not MTurk's, and a later link changes nothing", async () => {
    const { deps, studyId } = domainSetup({ panel: { kind: "mturk" } });
    const started = await startSession(deps, as(null), {
      studyId: null,
      panel: NO_PANEL,
      link: { studyId, query: "workerId=W2&assignmentId=A2&turkSubmitTo=https%3A%2F%2Fevil.example" },
    });
    expect(started.participant.panel.participantId).toBe("W2");
    expect(started.participant.panelSubmitTo).toBeUndefined();
    const later = await startSession(deps, as(started.participant), {
      studyId: null,
      panel: NO_PANEL,
      link: { studyId, query: MTURK_LINK },
    });
    expect(later.participant).toEqual(started.participant);
  });

  it("refuses the ids and a link together", async () => {
    const { deps, studyId } = domainSetup();
    await refused(
      startSession(deps, as(null), {
        studyId: null,
        panel: { ...NO_PANEL, participantId: "p" },
        link: { studyId, query: "" },
      }),
      ErrorCode.BAD_USER_INPUT,
    );
  });
});

describe("the completion as the panel takes it back", () => {
  it("fills the session's panel ids into the redirect URL, percent-encoded", async () => {
    const { deps, studyId } = domainSetup({
      panel: { kind: "sona" },
      completion: {
        redirectUrl:
          "https://u.sona-systems.com/webstudy_credit.aspx?experiment_id=7&credit_token=tok&survey_code={{participantId}}",
      },
    });
    const { participant } = await startSession(deps, as(null), {
      studyId: null,
      panel: NO_PANEL,
      link: { studyId, query: "survey_code=12%2034" },
    });
    await enroll(deps, as(participant), studyId, null);
    const done = await finish(deps, as(participant), studyId, null);
    expect(done.redirectUrl).toBe(
      "https://u.sona-systems.com/webstudy_credit.aspx?experiment_id=7&credit_token=tok&survey_code=12%2034",
    );
    expect(done.panelSubmit).toBeNull();
  });

  it("gives an MTurk worker the externalSubmit form to the session's turkSubmitTo", async () => {
    const { deps, studyId } = domainSetup({ panel: { kind: "mturk" } });
    const { participant } = await startSession(deps, as(null), {
      studyId: null,
      panel: NO_PANEL,
      link: { studyId, query: MTURK_LINK },
    });
    await enroll(deps, as(participant), studyId, null);
    const done = await finish(deps, as(participant), studyId, null);
    expect(done.panelSubmit).toEqual({
      action: "https://workersandbox.mturk.com/mturk/externalSubmit",
      fields: [
        { name: "assignmentId", value: "A1" },
        { name: "completionCode", value: "DOMAIN-CODE" },
      ],
    });
  });

  it("fills any outcome's redirect, and finishing again gives the same ending", async () => {
    const { deps, studyId } = domainSetup({
      panel: { kind: "connect" },
      outcomes: {
        "screened-out": {
          code: "SCREEN-1",
          redirectUrl: "https://panel.example/out?p={{participantId}}&project={{studyId}}&a={{sessionId}}",
        },
      },
    });
    const { participant } = await startSession(deps, as(null), {
      studyId: null,
      panel: NO_PANEL,
      link: { studyId, query: "participantId=C%2B1&projectId=P9&assignmentId=A7" },
    });
    await enroll(deps, as(participant), studyId, null);
    const ended = await endStudy(deps, participant, studyOrError(deps, studyId), "screened-out", null);
    expect(ended.redirectUrl).toBe("https://panel.example/out?p=C%2B1&project=P9&a=A7");
    expect(await finish(deps, as(participant), studyId, null)).toEqual(ended);
  });
});
