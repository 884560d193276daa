import { describe, expect, it } from "vitest";
import { envFileLine, formatEnvFile, parseEnvFile } from "./env-file";

describe("parseEnvFile (as wrangler reads .dev.vars)", () => {
  it("reads plain, quoted, exported and commented lines, and expands nothing", () => {
    expect(
      parseEnvFile(
        [
          "# a comment",
          "PLAIN=abc",
          "SPACED = padded value   ",
          "COMMENTED=value # the rest is a comment",
          'DOUBLE="two\\nlines"',
          "SINGLE='it is $HOME # not a comment'",
          "export EXPORTED=yes",
          "EMPTY=",
          "MULTI='first",
          "second'",
          "WINDOWS=crlf\r",
          "PLAIN=later wins",
        ].join("\n"),
      ),
    ).toEqual({
      PLAIN: "later wins",
      SPACED: "padded value",
      COMMENTED: "value",
      DOUBLE: "two\nlines",
      SINGLE: "it is $HOME # not a comment",
      EXPORTED: "yes",
      EMPTY: "",
      MULTI: "first\nsecond",
      WINDOWS: "crlf",
    });
  });
});

describe("envFileLine", () => {
  it("quotes the value with a quote it does not contain and escapes every $ for dotenv-expand", () => {
    expect(envFileLine("A", "plain")).toBe("A='plain'");
    expect(envFileLine("A", "it's")).toBe("A=`it's`");
    expect(envFileLine("A", "it's `x`")).toBe(`A="it's \`x\`"`);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: literal ${...}, which dotenv-expand must leave alone
    expect(envFileLine("A", "$HOME and ${PATH}")).toBe("A='\\$HOME and \\${PATH}'");
  });

  it("refuses what an env file cannot carry, and names that are not names", () => {
    expect(() => envFileLine("A", `' \` "`)).toThrow(/A contains/);
    expect(() => envFileLine("A", "' ` \\n")).toThrow(/A contains/);
    expect(() => envFileLine("A", "a\rb")).toThrow(/carriage return/);
    expect(() => envFileLine("A=B", "x")).toThrow(/not a variable name/);
    expect(() => envFileLine("", "x")).toThrow(/not a variable name/);
  });

  it("writes what dotenv reads back (before dotenv-expand, which only unescapes the $)", () => {
    const values = {
      HASH: "a # b",
      SPACES: "  padded  ",
      QUOTES: `it's "quoted"`,
      BACKSLASHES: "C:\\new\\raw\\",
      LINES: "line one\nline two",
      UNICODE: "ünïcødé 🔑",
      EMPTY: "",
    };
    expect(parseEnvFile(formatEnvFile(values))).toEqual(values);
  });
});
