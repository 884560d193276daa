/**
 * The dotenv files of local runs: .dev.vars, read as `wrangler dev` reads it
 * (dotenv's grammar, no `$` expansion), and the file that hands Worker
 * variables to `wrangler dev --env-file`, written so that wrangler's reading
 * of it (dotenv, then dotenv-expand) gives back exactly each value. A file,
 * not `--var NAME:value`: arguments show in every user's process list.
 */

/** dotenv 16's line grammar, as bundled in wrangler 4 (github.com/motdotla/dotenv, lib/main.js). */
const LINE =
  /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/gm;

/** Parses dotenv text as wrangler parses .dev.vars (dotenv.parse): later lines win, nothing is expanded. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const match of text.replace(/\r\n?/g, "\n").matchAll(LINE)) {
    const key = match[1];
    if (key === undefined) continue;
    let value = (match[2] ?? "").trim();
    const quote = value[0];
    value = value.replace(/^(['"`])([\s\S]*)\1$/gm, "$2");
    if (quote === '"') value = value.replace(/\\n/g, "\n").replace(/\\r/g, "\r");
    vars[key] = value;
  }
  return vars;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * One `NAME=value` line that `wrangler dev --env-file` reads back as exactly
 * `value`. The value goes inside a quote it does not contain (inside quotes
 * dotenv keeps everything, newlines included, but has no escape for the
 * quote itself; in double quotes it turns `\n` into a newline, so those are
 * the last choice), and every `$` is escaped for dotenv-expand, which turns
 * `\$` back into `$` and expands nothing else.
 */
export function envFileLine(name: string, value: string): string {
  if (!NAME.test(name)) throw new Error(`"${name}" is not a variable name (letters, digits and _)`);
  // dotenv reads every line break as \n.
  if (value.includes("\r"))
    throw new Error(`${name} contains a carriage return, which an env file cannot carry`);
  const quote = ["'", "`", '"'].find((q) => !value.includes(q) && (q !== '"' || !/\\[nr]/.test(value)));
  if (!quote)
    throw new Error(
      `${name} contains ', \` and " (or " and a backslash sequence), which an env file cannot carry`,
    );
  return `${name}=${quote}${value.replaceAll("$", "\\$")}${quote}`;
}

/** A whole env file of `vars`, one line each. */
export function formatEnvFile(vars: Record<string, string>): string {
  return Object.entries(vars)
    .map(([name, value]) => `${envFileLine(name, value)}\n`)
    .join("");
}
