import { env } from "cloudflare:test";
import { print } from "graphql";
import { expect } from "vitest";
import { type App, createApp } from "../../api/app";
import type { StudyFile } from "../../api/studies/definition";
import {
  ExportDocument,
  type ExportQuery,
  StudyExportDocument,
  type StudyExportQuery,
} from "../support/generated/graphql";
import { type Loose, loose } from "../support/loose";
import { type GraphQLResult, gql, RESEARCHER_TOKEN } from "./support";

/**
 * Shared operations and tools of the API tests. Everything here goes through
 * the real app (yoga.fetch in-process) on this test file's real D1; the only
 * doubles are D1 wrappers that count or break calls to the real database.
 */

export const uid = (): string => crypto.randomUUID();

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** ISO-8601 in UTC with milliseconds and a Z, as the contract promises for every DateTime. */
export const ISO_MS_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** The app as the Worker builds it, on any D1 (a wrapper of this file's D1). */
export function appOn(db: D1Database, vars: Record<string, string> = {}): App {
  return createApp({ ...env, ...vars, DB: db });
}

export type Source = { rank: number; title: string; url: string; content: string | null };

export type QueryResult = {
  id: string;
  conversationId: string;
  response: string;
  sources: Source[];
  model: string;
  latencyMs: number;
  createdAt: string;
};

export const QUERY = `mutation Ask($input: QueryInput!) {
  query(input: $input) {
    id conversationId response sources { rank title url content } model latencyMs createdAt
  }
}`;

export type QueryInput = {
  userId: string;
  sessionId: string;
  query: string;
  conversationId?: string;
  prolificStudyId?: string;
  studyId?: string;
  clientTime?: string;
};

export function ask(app: App, input: QueryInput | Record<string, unknown>) {
  return gql<{ query: QueryResult }>(app, QUERY, { input });
}

/** Asks and insists that it worked: for tests about what comes after. */
export async function askOk(app: App, input: QueryInput): Promise<QueryResult> {
  const result = await ask(app, input);
  expect(result.errors).toBeUndefined();
  const answer = result.data?.query;
  if (!answer) throw new Error("no answer");
  return answer;
}

export type LogEventResult = { eventId: string; duplicate: boolean; receivedAt: string };

export const LOG_EVENT = `mutation Log($input: LogEventInput!) {
  logEvent(input: $input) { eventId duplicate receivedAt }
}`;

export const LOG_EVENTS = `mutation LogMany($events: [LogEventInput!]!) {
  logEvents(events: $events) { accepted duplicates }
}`;

export type EventInput = {
  eventId: string;
  userId: string;
  sessionId: string;
  eventType: string;
  [field: string]: unknown;
};

export function logEvent(app: App, input: EventInput | Record<string, unknown>) {
  return gql<{ logEvent: LogEventResult }>(app, LOG_EVENT, { input });
}

export async function logEventOk(app: App, input: EventInput): Promise<LogEventResult> {
  const result = await logEvent(app, input);
  expect(result.errors).toBeUndefined();
  const logged = result.data?.logEvent;
  if (!logged) throw new Error("no logEvent result");
  return logged;
}

export function logEvents(app: App, events: (EventInput | Record<string, unknown>)[]) {
  return gql<{ logEvents: { accepted: number; duplicates: number } }>(app, LOG_EVENTS, { events });
}

/** `count` events of one participant and session, eventIds unique. */
export function makeEvents(
  count: number,
  base: { userId: string; sessionId?: string; eventType?: string },
): EventInput[] {
  return Array.from({ length: count }, (_, i) => ({
    eventId: uid(),
    userId: base.userId,
    sessionId: base.sessionId ?? `${base.userId}-session`,
    eventType: base.eventType ?? "SCROLL",
    extraData: { i },
  }));
}

/** A record as the API tests export it (the generated type of tests/support/operations/api-export.graphql). */
export type ExportedRecord = Loose<ExportQuery["export"]["edges"][number]["node"]>;

export type ExportPage = ExportQuery["export"];
export type PageInfo = ExportPage["pageInfo"];

export const EXPORT = print(ExportDocument);

export type ExportFilter = {
  kinds?: string[];
  userIds?: string[];
  sessionIds?: string[];
  eventTypes?: string[];
  from?: string;
  to?: string;
  studyIds?: string[];
  conditions?: string[];
};

export function exportRecords(
  app: App,
  variables: { filter?: ExportFilter; first?: number; after?: string } = {},
  /** null: no Authorization header at all. */
  token: string | null = RESEARCHER_TOKEN,
): Promise<GraphQLResult<{ export: ExportPage }>> {
  return gql<{ export: ExportPage }>(app, EXPORT, variables, token === null ? {} : { token });
}

export async function exportPageOk(
  app: App,
  variables: { filter?: ExportFilter; first?: number; after?: string },
): Promise<ExportPage> {
  const result = await exportRecords(app, variables);
  expect(result.errors).toBeUndefined();
  const page = result.data?.export;
  if (!page) throw new Error("no export page");
  return page;
}

/** Every record matching the filter, all pages, as a researcher sees them. */
export async function exportAll(
  app: App,
  filter: ExportFilter,
  first = 1000,
): Promise<{ nodes: ExportedRecord[]; totalCount: number; pages: number }> {
  const nodes: ExportedRecord[] = [];
  let after: string | undefined;
  let totalCount = -1;
  let pages = 0;
  for (;;) {
    const page = await exportPageOk(app, { filter, first, ...(after ? { after } : {}) });
    pages++;
    if (totalCount === -1) totalCount = page.totalCount;
    nodes.push(...page.edges.map((e) => loose(e.node)));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor ?? undefined;
    if (!after) throw new Error("hasNextPage without an endCursor");
  }
  return { nodes, totalCount, pages };
}

/** Number of stored records of these participants (the "nothing was written" check). */
export async function storedCount(filter: ExportFilter): Promise<number> {
  const page = await exportPageOk(appOn(env.DB), { filter, first: 1 });
  return page.totalCount;
}

/** The single error of a result, with its code: what a client branches on. */
export function onlyError(result: GraphQLResult<unknown>): {
  message: string;
  code: string | undefined;
  extensions: Record<string, unknown>;
} {
  expect(result.errors, JSON.stringify(result)).toHaveLength(1);
  const [error] = result.errors ?? [];
  if (!error) throw new Error("no error");
  return { message: error.message, code: error.extensions?.code, extensions: error.extensions ?? {} };
}

/**
 * A D1 binding that counts the calls that really go to the database: batch
 * and exec, and run/all/first/raw of a prepared statement. prepare and bind
 * only build statements and are not counted. Sessions and dumps are refused,
 * so a store that started using them could not slip past the count.
 */
export function countingDb(real: D1Database): { db: D1Database; calls: string[] } {
  const calls: string[] = [];
  const unwrapped = new WeakMap<object, D1PreparedStatement>();
  const executing = new Set<PropertyKey>(["run", "all", "first", "raw"]);

  const wrap = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, prop) {
        if (prop === "bind") {
          return (...values: unknown[]) => wrap(target.bind(...values));
        }
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value !== "function") return value;
        if (executing.has(prop)) {
          return (...args: unknown[]) => {
            calls.push(`statement.${String(prop)}`);
            return value.apply(target, args);
          };
        }
        return value.bind(target);
      },
    });
    unwrapped.set(proxy, statement);
    return proxy;
  };

  const db = new Proxy(real, {
    get(target, prop) {
      switch (prop) {
        case "prepare":
          return (sql: string) => wrap(target.prepare(sql));
        case "batch":
          return (statements: D1PreparedStatement[]) => {
            calls.push("batch");
            return target.batch(statements.map((s) => unwrapped.get(s) ?? s));
          };
        case "exec":
          return (sql: string) => {
            calls.push("exec");
            return target.exec(sql);
          };
        case "withSession":
        case "dump":
          return () => {
            throw new Error(`countingDb: ${String(prop)} is not counted`);
          };
        default: {
          const value: unknown = Reflect.get(target, prop, target);
          return typeof value === "function" ? value.bind(target) : value;
        }
      }
    },
  });
  return { db, calls };
}

export const D1_FAILURE = "D1 exploded: internal detail 7f3a";

/** A D1 binding on which every statement fails, as when the database is down. */
export function failingDb(real: D1Database): D1Database {
  const fail = () => {
    throw new Error(D1_FAILURE);
  };
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "prepare" || prop === "batch" || prop === "exec") return fail;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** The app on this test file's D1 with its own study files instead of studies/. */
export function appWithStudies(files: StudyFile[], vars: Record<string, string> = {}): App {
  return createApp({ ...env, ...vars, DB: env.DB }, files);
}

export type Enrolment = {
  studyId: string;
  userId: string;
  condition: string;
  studyVersion: number;
  showSources: boolean;
  maxTurns: number | null;
  assignedAt: string;
};

export const ENROLL = `mutation Enroll($input: StudyParticipantInput!) {
  enroll(input: $input) { studyId userId condition studyVersion showSources maxTurns assignedAt }
}`;

export function enroll(app: App, input: { studyId: string; userId: string; sessionId?: string }) {
  return gql<{ enroll: Enrolment }>(app, ENROLL, {
    input: { sessionId: `${input.userId}-session`, ...input },
  });
}

/**
 * Enrols and insists that it worked. A participant is never shown their
 * condition, so the condition comes from the researcher's view of the
 * assignment.
 */
export async function enrollOk(
  app: App,
  input: { studyId: string; userId: string; sessionId?: string },
): Promise<Enrolment> {
  const result = await enroll(app, input);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  const assignment = result.data?.enroll;
  if (!assignment) throw new Error("no assignment");
  expect(assignment.condition, "a participant sees no condition").toBeNull();
  return { ...assignment, condition: await conditionOf(app, input.studyId, input.userId) };
}

/** A participant's condition, as a researcher reads it. */
export async function conditionOf(app: App, studyId: string, userId: string): Promise<string> {
  const result = await gql<{ assignment: { condition: string } | null }>(
    app,
    "query A($studyId: ID!, $userId: ID) { assignment(studyId: $studyId, userId: $userId) { condition } }",
    { studyId, userId },
    { token: RESEARCHER_TOKEN },
  );
  const condition = result.data?.assignment?.condition;
  if (!condition)
    throw new Error(`no assignment of ${userId} in ${studyId}: ${JSON.stringify(result.errors)}`);
  return condition;
}

/** A record as the study tests read it: its study fields, and a streamed answer's (generated type). */
export type StudyRecord = Loose<StudyExportQuery["export"]["edges"][number]["node"]>;

export const STUDY_EXPORT = print(StudyExportDocument);

/** The records matching the filter (at most 1000), with their study fields, as a researcher exports them. */
export async function studyRecords(
  app: App,
  filter: ExportFilter,
): Promise<{ totalCount: number; nodes: StudyRecord[] }> {
  const result = await gql<StudyExportQuery>(
    app,
    STUDY_EXPORT,
    { filter, first: 1000 },
    { token: RESEARCHER_TOKEN },
  );
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  const page = result.data?.export;
  if (!page) throw new Error("no export page");
  return { totalCount: page.totalCount, nodes: page.edges.map((e) => loose(e.node)) };
}
