/**
 * How much one request may ask of the Worker, in one place, with the reason
 * for each number. api/http/document-limits.test.ts checks every operation
 * that the site, the docs and GraphiQL send against them.
 */

const KiB = 1024;
const MiB = 1024 * KiB;

/** Largest request body, in bytes, refused with 413 before anything parses it. */
export const BODY_LIMITS = {
  /**
   * POST /graphql. The API promises a logEvents batch of 500 events with the
   * largest extraData each (8 KiB: tests/api/events.test.ts), which is about
   * 4.0 MiB of JSON; 5 MiB admits it with its ids and URLs. A batch whose
   * events also carry long queries and URLs can pass 5 MiB: such a client
   * splits batches by size as well as by count. (1 MiB would refuse the
   * promised batch; the body is held in memory while it is parsed, so not
   * much more either.)
   */
  graphql: 5 * MiB,
  /** Every non-GET request to the site: forms (a chat message is at most 8000 characters) and the tracker's beacons (web/routes/t.tsx takes up to 256 KiB). */
  site: 256 * KiB,
} as const;

/** What one GraphQL document may contain (graphql-armor's rules and our own). */
export const DOCUMENT_LIMITS = {
  /**
   * Aliased fields per operation (through fragments). Each alias of
   * `status { store { ok } }` is one more database ping, so this caps those
   * too. No operation we ship uses more than one alias.
   */
  aliases: 10,
  /** Nesting of selections. The export's page (export > edges > node > ... on > sources > url) needs 6. */
  depth: 12,
  /** Lexical tokens of the document: the site's export page has 91, GraphiQL's introspection 183. */
  tokens: 2000,
  /**
   * graphql-armor's cost: objects 2, scalars 1, times 1.5 per level, times
   * a literal `first:`. The site's export page (every field, provenance
   * included) with `first: 1000` costs ~411,000, the docs' ~162,000 (the same
   * with `first: $first` costs a few hundred: a variable is not counted, so
   * this bounds literal page sizes, and the alias limit the rest). Two such
   * pages in one request are refused.
   */
  cost: 600_000,
  /** LLM calls per operation: root fields `query` (Mutation) and `queryStream` (Subscription). */
  llmCalls: 1,
} as const;
