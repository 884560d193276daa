import { fromMarkdown } from "mdast-util-from-markdown";
import type { QueryRecord } from "../store/store";

type MdNode = { type: string; url?: string; children?: MdNode[] };

function collect(node: MdNode, urls: Set<string>): void {
  if ((node.type === "link" || node.type === "definition") && node.url) urls.add(node.url);
  for (const child of node.children ?? []) collect(child, urls);
}

/** The URLs that an answer's Markdown links to, as the site renders them (same parser). */
export function markdownLinks(markdown: string): Set<string> {
  const urls = new Set<string>();
  collect(fromMarkdown(markdown) as MdNode, urls);
  return urls;
}

/**
 * Where a click on this stored answer may lead: its Markdown links and its
 * sources, and only over http(s). Anything else is refused, so the click
 * route is no open redirect.
 */
export function isClickTarget(record: QueryRecord, url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") return false;
  if (record.sources.some((s) => s.url === url)) return true;
  return record.response !== null && markdownLinks(record.response).has(url);
}
