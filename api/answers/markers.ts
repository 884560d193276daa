import { fromMarkdown } from "mdast-util-from-markdown";

type MdNode = {
  type: string;
  children?: MdNode[];
  position?: { start: { offset?: number }; end: { offset?: number } };
};

/** A citation marker as the model writes it: [n], not escaped (\[n] is text), with the spaces before it. */
const MARKER = /(?<!\\)([ \t]*)\[(\d{1,3})\]/g;

/**
 * Rewrites the citation markers ([1], [2] ...) of a Markdown answer: each is
 * replaced by `[k]` when `renumber(n)` gives k, or removed (with the spaces
 * before it) when it gives null. Only markers in the answer's text are
 * touched, never one inside code, a link's URL or a link's own text; the
 * rest of the answer stays byte for byte as the model wrote it.
 */
export function rewriteMarkers(markdown: string, renumber: (n: number) => number | null): string {
  const edits: { from: number; to: number; text: string }[] = [];
  const visit = (node: MdNode, inLink: boolean) => {
    if (node.type === "text" && !inLink && node.position) {
      const from = node.position.start.offset ?? 0;
      const raw = markdown.slice(from, node.position.end.offset ?? from);
      for (const match of raw.matchAll(MARKER)) {
        const k = renumber(Number(match[2]));
        edits.push({
          from: from + (match.index ?? 0),
          to: from + (match.index ?? 0) + match[0].length,
          text: k === null ? "" : `${match[1]}[${k}]`,
        });
      }
    }
    const link = inLink || node.type === "link" || node.type === "linkReference";
    for (const child of node.children ?? []) visit(child, link);
  };
  visit(fromMarkdown(markdown) as MdNode, false);
  let out = markdown;
  for (const edit of edits.reverse()) out = out.slice(0, edit.from) + edit.text + out.slice(edit.to);
  return out;
}
