import { z } from "zod";
import type { Source } from "../store/store";

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

/** Sources of one completion: message annotations first, then Perplexity-style fields. */
export function sourcesFromCompletion(completion: unknown, message: unknown): Source[] {
  const candidates: Candidate[] = [];
  const annotations = (message as { annotations?: unknown } | null)?.annotations;
  if (Array.isArray(annotations)) {
    for (const a of annotations) {
      const parsed = urlCitation.safeParse(a);
      if (parsed.success) candidates.push(parsed.data.url_citation);
    }
  }
  const p = perplexity.safeParse(completion);
  if (p.success) {
    const results = p.data.search_results ?? [];
    const byUrl = new Map(results.map((r) => [r.url, r]));
    for (const url of p.data.citations ?? []) {
      const r = byUrl.get(url);
      candidates.push({ url, title: r?.title, content: r?.snippet });
    }
    for (const r of results) candidates.push({ url: r.url, title: r.title, content: r.snippet });
  }
  return rankSources(candidates);
}
