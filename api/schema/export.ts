import { z } from "zod";
import { builder } from "../builder";
import { idSchema, MAX_FILTER_VALUES, MAX_PAGE_SIZE } from "../domain/validation";
import { apiError, ErrorCode } from "../errors";
import { type ExportFilter, InvalidCursorError } from "../store/store";
import { checkFilterNames } from "../studies/filter-names";
import { EventTypeRef, LogRecordKindRef, LogRecordRef, panelCountsOf, withPanelCount } from "./records";
import { requireResearcher } from "./researcher";

const listOf = <T extends z.ZodType>(item: T) =>
  z.array(item).max(MAX_FILTER_VALUES, `at most ${MAX_FILTER_VALUES} values`).optional().nullable();

const ExportFilterRef = builder.inputType("ExportFilter", {
  description: "Which records to export. Every given condition must hold; omitted ones do not filter.",
  fields: (t) => ({
    kinds: t.field({ type: [LogRecordKindRef], description: "Default: both." }),
    userIds: t.idList({
      description: `Only these participants (at most ${MAX_FILTER_VALUES}).`,
      validate: listOf(idSchema),
    }),
    sessionIds: t.idList({
      description: `Only these sessions (at most ${MAX_FILTER_VALUES}).`,
      validate: listOf(idSchema),
    }),
    eventTypes: t.field({
      type: [EventTypeRef],
      description:
        "Only events of these types. Queries have no event type, so this filter returns events only.",
    }),
    studyIds: t.idList({
      description: `Only records of these studies (at most ${MAX_FILTER_VALUES}).`,
      validate: listOf(idSchema),
    }),
    conditions: t.stringList({
      description: `Only records of participants in these conditions (at most ${MAX_FILTER_VALUES}); combine with studyIds when condition ids repeat across studies.`,
      validate: listOf(idSchema),
    }),
    panelParticipantIds: t.idList({
      description: `Only records whose session came with these panel participant ids (PROLIFIC_PID; at most ${MAX_FILTER_VALUES}).`,
      validate: listOf(idSchema),
    }),
    from: t.field({ type: "DateTime", description: "Server time, inclusive." }),
    to: t.field({ type: "DateTime", description: "Server time, exclusive." }),
  }),
});

const LogRecordConnectionRef = builder.connectionObject(
  {
    type: LogRecordRef,
    name: "LogRecordConnection",
    description: "A page of exported records.",
    fields: (tc) => ({
      totalCount: tc.int({
        description: "All records that match the filter, over every page.",
        resolve: (connection) => connection.totalCount(),
      }),
    }),
  },
  { name: "LogRecordEdge", description: "One exported record and its cursor." },
);

builder.queryField("export", (t) =>
  t.field({
    type: LogRecordConnectionRef,
    description:
      "Every stored query and event, oldest first in server time, filtered and paginated with opaque keyset cursors (Relay connection). Researcher token required (Authorization: Bearer <token>); without one: an error with extensions.code UNAUTHENTICATED and no data.",
    args: {
      filter: t.arg({ type: ExportFilterRef, description: "Which records; omitted: all." }),
      first: t.arg.int({
        defaultValue: 100,
        description: `Page size, 1 to ${MAX_PAGE_SIZE}.`,
        validate: z
          .number()
          .int()
          .min(1, `first must be from 1 to ${MAX_PAGE_SIZE}`)
          .max(MAX_PAGE_SIZE, `first must be from 1 to ${MAX_PAGE_SIZE}`)
          .nullish(),
      }),
      after: t.arg.string({
        description: "Continue after this cursor (the endCursor, or an edge's cursor, of an earlier page).",
      }),
    },
    resolve: async (_root, args, ctx) => {
      requireResearcher(ctx, "export");
      const f = args.filter;
      const filter: ExportFilter = {
        ...(f?.kinds ? { kinds: f.kinds } : {}),
        ...(f?.userIds ? { userIds: f.userIds.map(String) } : {}),
        ...(f?.sessionIds ? { sessionIds: f.sessionIds.map(String) } : {}),
        ...(f?.eventTypes ? { eventTypes: f.eventTypes } : {}),
        ...(f?.studyIds ? { studyIds: f.studyIds.map(String) } : {}),
        ...(f?.conditions ? { conditions: f.conditions } : {}),
        ...(f?.panelParticipantIds ? { panelParticipantIds: f.panelParticipantIds.map(String) } : {}),
        ...(f?.from ? { from: f.from } : {}),
        ...(f?.to ? { to: f.to } : {}),
      };
      await checkFilterNames(ctx, filter);
      const first = args.first ?? 100;
      const after = args.after ?? null;
      let page: Awaited<ReturnType<typeof ctx.store.exportPage>>;
      try {
        page = await ctx.store.exportPage(filter, first, after);
      } catch (error) {
        if (error instanceof InvalidCursorError) {
          throw apiError(
            ErrorCode.BAD_USER_INPUT,
            `after: ${error.message}; pass the endCursor or an edge cursor of an earlier page.`,
          );
        }
        throw error;
      }
      const counts = await panelCountsOf(
        ctx.store,
        page.records.map((r) => r.record),
      );
      return {
        edges: page.records.map(({ cursor, record }) => ({ cursor, node: withPanelCount(record, counts) })),
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: after !== null,
          startCursor: page.records[0]?.cursor ?? null,
          endCursor: page.records.at(-1)?.cursor ?? null,
        },
        totalCount: () => ctx.store.count(filter),
      };
    },
  }),
);
