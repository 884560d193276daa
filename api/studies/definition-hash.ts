import { createHash } from "node:crypto";

/**
 * The hash of a study file as deployed: SHA-256 (hex) of its JSON with keys
 * sorted and no whitespace, so reformatting the file or reordering its keys
 * changes nothing, while any change to a value (a prompt, a weight, a text)
 * changes the hash. It is taken over the file as written, not over the
 * parsed study with its defaults, so an upgrade of the platform that adds a
 * default never changes the hash of a study nobody edited.
 */
export function definitionHash(definition: unknown): string {
  return createHash("sha256").update(canonicalJson(definition)).digest("hex");
}

/** JSON with object keys sorted at every level: the same value always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
