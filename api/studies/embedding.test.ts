import { describe, expect, it } from "vitest";
import { parseStudies, StudyDefinitionError } from "./definition";
import { studyEmbedding } from "./embedding";

const study = (embedding: unknown) => ({
  id: "framed",
  version: 1,
  title: "Framed",
  consent: "Consent.",
  task: "Task.",
  conditions: [{ id: "a" }],
  completion: { code: "DONE" },
  ...(embedding === undefined ? {} : { embedding }),
});

function problems(embedding: unknown): string[] {
  try {
    parseStudies([{ file: "studies/framed.json", definition: study(embedding) }]);
    return [];
  } catch (error) {
    if (error instanceof StudyDefinitionError) return error.problems;
    throw error;
  }
}

describe("a study's embedding block", () => {
  it("takes https origins, `*.` subdomains, 'self' and loopback http", () => {
    expect(
      problems({
        frameAncestors: ["https://*.qualtrics.com", "https://survey.example.org:8443", "'self'"],
        messageOrigins: ["https://*.qualtrics.com", "http://localhost:5173"],
      }),
    ).toEqual([]);
  });

  it.each([
    [{ frameAncestors: ["http://survey.example.org"] }, "embedding.frameAncestors[0]"],
    [{ frameAncestors: ["https://survey.example.org/path"] }, "embedding.frameAncestors[0]"],
    [{ frameAncestors: ["https://a.example.org; script-src *"] }, "embedding.frameAncestors[0]"],
    [{ frameAncestors: ["*"] }, "embedding.frameAncestors[0]"],
    [{ frameAncestors: ["'none'"] }, "embedding.frameAncestors[0]"],
    [{ frameAncestors: [] }, "embedding.frameAncestors"],
    [
      { frameAncestors: ["https://a.example.org"], messageOrigins: ["'self'"] },
      "embedding.messageOrigins[0]",
    ],
    [{ frameAncestors: ["https://a.example.org"], origins: [] }, "embedding"],
  ])("refuses %j, naming the field", (embedding, field) => {
    const found = problems(embedding);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`studies/framed.json: ${field}`);
  });

  it("posts to the framing origins by default ('self' is no target), and adds a panel's frame origins", () => {
    expect(studyEmbedding(undefined)).toBeNull();
    expect(studyEmbedding({ frameAncestors: ["'self'", "https://*.qualtrics.com"] })).toEqual({
      frameAncestors: ["'self'", "https://*.qualtrics.com"],
      messageOrigins: ["https://*.qualtrics.com"],
    });
    expect(
      studyEmbedding(
        { frameAncestors: ["https://a.example.org"], messageOrigins: ["https://b.example.org"] },
        ["https://workersandbox.mturk.com", "https://a.example.org"],
      ),
    ).toEqual({
      frameAncestors: ["https://a.example.org", "https://workersandbox.mturk.com"],
      messageOrigins: ["https://b.example.org", "https://workersandbox.mturk.com", "https://a.example.org"],
    });
    expect(studyEmbedding(undefined, ["https://www.mturk.com"])).toEqual({
      frameAncestors: ["https://www.mturk.com"],
      messageOrigins: ["https://www.mturk.com"],
    });
  });
});
