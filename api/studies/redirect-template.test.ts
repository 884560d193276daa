import { describe, expect, it } from "vitest";
import { fillRedirect, unknownPlaceholders } from "./redirect-template";

describe("completion redirect placeholders", () => {
  const ids = { participantId: "12 34&x", studyId: "st/1", sessionId: null };

  it("fills the panel ids, percent-encoded, and an id the session lacks as empty", () => {
    expect(
      fillRedirect(
        "https://u.sona-systems.com/webstudy_credit.aspx?experiment_id=1&credit_token=t&survey_code={{participantId}}",
        ids,
      ),
    ).toBe(
      "https://u.sona-systems.com/webstudy_credit.aspx?experiment_id=1&credit_token=t&survey_code=12%2034%26x",
    );
    expect(fillRedirect("https://x.example/{{studyId}}?s={{sessionId}}&p={{participantId}}", ids)).toBe(
      "https://x.example/st%2F1?s=&p=12%2034%26x",
    );
    expect(fillRedirect("https://app.prolific.com/submissions/complete?cc=C1", ids)).toBe(
      "https://app.prolific.com/submissions/complete?cc=C1",
    );
  });

  it("names the placeholders it does not know", () => {
    expect(unknownPlaceholders("https://x.example/?a={{participantId}}&b={{PROLIFIC_PID}}&c={{ }}")).toEqual([
      "PROLIFIC_PID",
      " ",
    ]);
    expect(unknownPlaceholders("https://x.example/?a={{sessionId}}")).toEqual([]);
  });
});
