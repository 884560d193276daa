import { describe, expect, it } from "vitest";
import { studyPath, studyPathOf } from "./study-page";

const ORIGIN = "https://study.example";

describe("studyPathOf", () => {
  it("reads the study of a study page, of every step", () => {
    expect(studyPathOf(`${ORIGIN}/s/demo`, ORIGIN)).toBe("demo");
    expect(studyPathOf(`${ORIGIN}/s/demo?PROLIFIC_PID=x`, ORIGIN)).toBe("demo");
    expect(studyPathOf(`${ORIGIN}/s/news-trust/chat?c=1#a-2`, ORIGIN)).toBe("news-trust");
    expect(studyPathOf(`${ORIGIN}${studyPath("a b", "task")}`, ORIGIN)).toBe("a b");
  });

  it("gives no study for other pages, other origins and junk", () => {
    expect(studyPathOf(`${ORIGIN}/`, ORIGIN)).toBeUndefined();
    expect(studyPathOf(`${ORIGIN}/?c=1`, ORIGIN)).toBeUndefined();
    expect(studyPathOf(`${ORIGIN}/sx/demo`, ORIGIN)).toBeUndefined();
    expect(studyPathOf(`${ORIGIN}/s/`, ORIGIN)).toBeUndefined();
    expect(studyPathOf("https://evil.example/s/demo", ORIGIN)).toBeUndefined();
    expect(studyPathOf("not a url", ORIGIN)).toBeUndefined();
    expect(studyPathOf(`${ORIGIN}/s/%E0%A4%A`, ORIGIN)).toBeUndefined();
    expect(studyPathOf(null, ORIGIN)).toBeUndefined();
  });
});
