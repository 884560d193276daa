import { z } from "zod";
import type { Source } from "../domain/records";

/**
 * Citations arrive in several dialects of the OpenAI-compatible API; they are
 * all normalised to `{rank, title, url, content}`, ranked in order of first
 * appearance, one entry per URL.
 */

const urlCitation = z.object({
  type: z.literal("url_citation"),
  url_citation: z.object({
    url: z.string(),
    title: z.string().nullish(),
    content: z.string().nullish(),
  }),
});

/** Perplexity: `citations` (URLs) and `search_results` ({title, url, snippet}) on the completion. */
const perplexity = z.object({
  citations: z.array(z.string()).nullish(),
  search_results: z
    .array(z.object({ url: z.string(), title: z.string().nullish(), snippet: z.string().nullish() }))
    .nullish(),
});

type Candidate = { url: string; title?: string | null; content?: string | null };

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // a malformed escape such as %E0%A4%A: keep it as written
  }
}

function titleFromUrl(url: string): string {
  const { hostname, pathname } = new URL(url);
  const last = pathname.split("/").filter(Boolean).pop();
  return last ? `${hostname}: ${decodeSegment(last).replaceAll(/[-_]+/g, " ")}` : hostname;
}

export function rankSources(candidates: Candidate[]): Source[] {
  const byUrl = new Map<string, Source>();
  for (const c of candidates) {
    if (!isHttpUrl(c.url)) continue;
    const known = byUrl.get(c.url);
    if (known) {
      if (!known.content && c.content) known.content = c.content;
      continue;
    }
    byUrl.set(c.url, {
      rank: byUrl.size + 1,
      title: c.title?.trim() || titleFromUrl(c.url),
      url: c.url,
      content: c.content?.trim() || null,
    });
  }
  return [...byUrl.values()];
}

/**
 * What a completion cites, gathered in order of appearance: `url_citation`
 * annotations of its message, Perplexity's `citations` and `search_results`.
 * Exact repeats are kept once (Perplexity repeats both lists on every
 * streamed chunk); they would not change the sources anyway.
 */
type Cited = {
  annotations: Candidate[];
  citations: string[];
  searchResults: SearchResult[];
  seen: Set<string>;
};

type SearchResult = { url: string; title?: string | null; snippet?: string | null };

function cited(): Cited {
  return { annotations: [], citations: [], searchResults: [], seen: new Set() };
}

function once<T>(into: T[], item: T, key: unknown[], seen: Set<string>): void {
  const id = JSON.stringify(key);
  if (seen.has(id)) return;
  seen.add(id);
  into.push(item);
}

/** Adds what `holder` (a completion or a streamed chunk) and `message` (its message or delta) cite. */
function gather(into: Cited, holder: unknown, message: unknown): void {
  const annotations = (message as { annotations?: unknown } | null | undefined)?.annotations;
  if (Array.isArray(annotations)) {
    for (const a of annotations) {
      const parsed = urlCitation.safeParse(a);
      if (!parsed.success) continue;
      const { url, title, content } = parsed.data.url_citation;
      once(into.annotations, { url, title, content }, ["a", url, title, content], into.seen);
    }
  }
  const p = perplexity.safeParse(holder);
  if (!p.success) return;
  for (const url of p.data.citations ?? []) once(into.citations, url, ["c", url], into.seen);
  for (const r of p.data.search_results ?? []) {
    const result = { url: r.url, title: r.title, snippet: r.snippet };
    once(into.searchResults, result, ["s", r.url, r.title, r.snippet], into.seen);
  }
}

/** The one normaliser: annotations first, then the citations (titled from search_results), then the other search results. */
function sourcesOf(c: Cited): Source[] {
  const byUrl = new Map(c.searchResults.map((r) => [r.url, r]));
  const candidates: Candidate[] = [...c.annotations];
  for (const url of c.citations) {
    const r = byUrl.get(url);
    candidates.push({ url, title: r?.title, content: r?.snippet });
  }
  for (const r of c.searchResults) candidates.push({ url: r.url, title: r.title, content: r.snippet });
  return rankSources(candidates);
}

/** Sources of one completion: message annotations first, then Perplexity-style fields. */
export function sourcesFromCompletion(completion: unknown, message: unknown): Source[] {
  const c = cited();
  gather(c, completion, message);
  return sourcesOf(c);
}

/**
 * Sources of a streamed completion, the same as `sourcesFromCompletion` would
 * find in the whole one: `add` every chunk (annotations arrive on
 * `choices[0].delta`, Perplexity's fields on the chunk itself), then read
 * `sources()`.
 */
export function streamedSources(): { add(chunk: unknown): void; sources(): Source[] } {
  const c = cited();
  return {
    add(chunk) {
      const choices = (chunk as { choices?: unknown } | null | undefined)?.choices;
      const delta = Array.isArray(choices)
        ? (choices[0] as { delta?: unknown } | undefined)?.delta
        : undefined;
      gather(c, chunk, delta);
    },
    sources: () => sourcesOf(c),
  };
}
