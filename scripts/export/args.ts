import { extname } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { BATCH_SIZES } from "../../api/export/rows";
import { TABLE_NAMES, type TableName } from "../../api/export/tables";
import type { Format } from "../../api/export/write";

/**
 * The arguments of `npm run export`: parsed by node's parseArgs, checked by
 * one zod schema, so every bad argument is named with what was expected.
 * The filters' values are checked by the server (one place), which says what
 * is wrong with them.
 */
export const USAGE = `Usage: npm run export -- --url <deployment> --table <table> --out <file> [options]

  --url <url>          the deployment, e.g. https://study.example.org (required)
  --table <table>      ${TABLE_NAMES.join(" | ")} (required)
  --out <file>         the file to write (required)
  --format <format>    csv | ndjson (default: from --out's extension, else csv)
  --study <id>         filter: studies (repeat it, or a comma list)
  --condition <id>     filter: conditions (repeat it, or a comma list)
  --user <id>          filter: participants' user ids (repeat it, or a comma list)
  --panel-id <id>      filter: panel participant ids, e.g. PROLIFIC_PID (repeat it, or a comma list)
  --from <time>        filter: from this server time on (ISO-8601, inclusive)
  --to <time>          filter: before this server time (ISO-8601, exclusive)
  --resume             continue an interrupted download of the same command
  --page-size <n>      records per request (default: the server's batch size)
  --token <token>      a researcher token; better: the env variable LSP_RESEARCHER_TOKEN
  --help               this text

Exit codes: 0 done, 1 the download failed (server, network, token), 2 bad arguments.`;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** The download's filters as the server's query parameters (api/export/filter.ts). */
export type Filters = Partial<
  Record<"studyIds" | "conditions" | "userIds" | "panelParticipantIds" | "from" | "to", string[]>
>;

export type ExportOptions = {
  url: URL;
  table: TableName;
  format: Format;
  out: string;
  filters: Filters;
  token: string;
  resume: boolean;
  pageSize: number;
};

/** Each filter option and its query parameter. */
const FILTER_OPTIONS = {
  study: "studyIds",
  condition: "conditions",
  user: "userIds",
  "panel-id": "panelParticipantIds",
  from: "from",
  to: "to",
} as const satisfies Record<string, keyof Filters>;

const list = z.array(z.string()).optional();

const schema = z.object({
  url: z
    .string({ error: "--url is required: the deployment, e.g. https://study.example.org" })
    .pipe(
      z.url({ protocol: /^https?$/, error: "--url must be an http(s) URL, e.g. https://study.example.org" }),
    ),
  table: z.enum(TABLE_NAMES, { error: `--table must be one of ${TABLE_NAMES.join(", ")}` }),
  out: z.string({ error: "--out is required: the file to write" }).min(1, "--out must name a file"),
  format: z.enum(["csv", "ndjson"], { error: "--format must be csv or ndjson" }).optional(),
  token: z
    .string({ error: "a researcher token is needed: set LSP_RESEARCHER_TOKEN (or give --token)" })
    .min(1, "the researcher token is empty: set LSP_RESEARCHER_TOKEN (or give --token)"),
  resume: z.boolean().default(false),
  "page-size": z.string().regex(/^\d+$/, "--page-size must be a whole number").transform(Number).optional(),
  study: list,
  condition: list,
  user: list,
  "panel-id": list,
  from: list,
  to: list,
});

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        url: { type: "string" },
        table: { type: "string" },
        out: { type: "string" },
        format: { type: "string" },
        token: { type: "string" },
        resume: { type: "boolean" },
        "page-size": { type: "string" },
        help: { type: "boolean" },
        study: { type: "string", multiple: true },
        condition: { type: "string", multiple: true },
        user: { type: "string", multiple: true },
        "panel-id": { type: "string", multiple: true },
        from: { type: "string", multiple: true },
        to: { type: "string", multiple: true },
      },
    }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** The options, or null for --help. */
export function readOptions(argv: string[], env: { LSP_RESEARCHER_TOKEN?: string }): ExportOptions | null {
  const values = parse(argv);
  if (values.help) return null;
  const parsed = schema.safeParse({ ...values, token: values.token ?? env.LSP_RESEARCHER_TOKEN });
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join("\n"));
  const given = parsed.data;
  const extension = extname(given.out).slice(1).toLowerCase();
  const format = given.format ?? (extension === "ndjson" || extension === "jsonl" ? "ndjson" : "csv");
  const max = BATCH_SIZES[given.table];
  const pageSize = given["page-size"] ?? max;
  if (pageSize < 1 || pageSize > max)
    throw new UsageError(`--page-size must be from 1 to ${max} for ${given.table}`);
  const filters: Filters = {};
  for (const [option, param] of Object.entries(FILTER_OPTIONS)) {
    const values = given[option as keyof typeof FILTER_OPTIONS];
    if (values) filters[param] = values;
  }
  return {
    url: new URL(given.url),
    table: given.table,
    format,
    out: given.out,
    filters,
    token: given.token,
    resume: given.resume,
    pageSize,
  };
}
