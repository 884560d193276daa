import type { ObjectRef } from "@pothos/core";
import { displayOf } from "../answers/presentation";
import { builder } from "../builder";
import type { Context } from "../context";
import type { AnswerPresentation, Provenance, QueryRecord } from "../store/store";
import { forResearchers } from "./researcher";
import { SourceRef } from "./sources";

/**
 * How an answer was shown and what produced it, on both answer types
 * (QueryResult, QueryRecord): participants get what their page shows
 * anyway (the text and sources as shown, whether markers are links);
 * researchers also get what would unblind a participant (the model's own
 * text and sources, the provenance with the condition's settings).
 */

type PothosTypes = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;

const CitationMarkersRef = builder.enumType("CitationMarkers", {
  description: "What the condition did with the citation markers ([1], [2] ...) of an answer's text.",
  values: {
    LINKED: { value: "linked", description: "Renumbered to the rank shown, each a link to its source." },
    TEXT: { value: "text", description: "Kept as the model wrote them, as plain text (sources hidden)." },
    REMOVED: { value: "removed", description: "Removed (sources hidden, or citations list-only)." },
  } satisfies Record<Uppercase<AnswerPresentation["markers"]>, unknown>,
});

const AnswerLinksRef = builder.enumType("AnswerLinks", {
  description: "How links the model wrote into an answer's text are shown.",
  values: {
    LINKS: { value: "links", description: "As links, through the click route." },
    TEXT: { value: "text", description: "As their text only." },
  } satisfies Record<Uppercase<AnswerPresentation["answerLinks"]>, unknown>,
});

const AnswerDisplayRef = builder.objectRef<QueryRecord>("AnswerDisplay").implement({
  description: "How the participant's page shows the answer, as its condition decided when it was stored.",
  fields: (t) => ({
    sourcesShown: t.boolean({
      description: "Whether the source list is shown.",
      resolve: (r) => displayOf(r).sourcesShown,
    }),
    markers: t.field({
      type: CitationMarkersRef,
      description: "What the page does with the markers of displayedResponse.",
      resolve: (r) => displayOf(r).markers,
    }),
    answerLinks: t.field({
      type: AnswerLinksRef,
      description: "Whether the links of the text are links.",
      resolve: (r) => displayOf(r).answerLinks,
    }),
  }),
});

const InjectedSourceRef = builder
  .objectRef<NonNullable<Provenance["inject"]>>("InjectedSourceSetting")
  .implement({
    description: "The source a condition injects into every answer's list.",
    fields: (t) => ({
      position: t.exposeInt("position", { description: "The position asked for (1 first)." }),
      url: t.exposeString("url", { description: "Its URL." }),
    }),
  });

const ProvenanceRef = builder.objectRef<Provenance>("AnswerProvenance").implement({
  description:
    "What produced an answer and how it was shown, stored with it (docs/tracking.md lists every field).",
  fields: (t) => ({
    provider: t.exposeString("provider", { description: "openai (any OpenAI-compatible API) or scripted." }),
    endpoint: t.exposeString("endpoint", {
      nullable: true,
      description: "The API's host (api.openai.com, openrouter.ai ...); null for scripted answers.",
    }),
    requestedModel: t.exposeString("requestedModel", {
      description: "The model asked for (QueryRecord.model is the one the provider says answered).",
    }),
    systemPromptHash: t.exposeString("systemPromptHash", {
      nullable: true,
      description: "SHA-256 (hex) of the system prompt sent; null when none was sent.",
    }),
    parameters: t.field({
      type: "JSON",
      description: "The generation parameters sent (temperature; tokenDelayMs for scripted answers).",
      resolve: (p) => p.parameters,
    }),
    sourcesShown: t.exposeBoolean("sourcesShown", { description: "Whether the source list was shown." }),
    order: t.exposeString("order", {
      description: "The condition's source order: model, reversed, random, fixed or latin-square.",
    }),
    permutation: t.exposeIntList("permutation", {
      nullable: true,
      description: "For order fixed: the permutation of the study file.",
    }),
    rotation: t.exposeInt("rotation", {
      nullable: true,
      description:
        "For order latin-square: the row (the participant's arrival number mod the sources' count).",
    }),
    limit: t.exposeInt("limit", { nullable: true, description: "How many sources were shown at most." }),
    inject: t.field({
      type: InjectedSourceRef,
      nullable: true,
      description: "The injected source, if the condition injects one.",
      resolve: (p) => p.inject,
    }),
    citations: t.exposeString("citations", { description: "numbered or list-only." }),
    markers: t.field({
      type: CitationMarkersRef,
      description: "What was done with the markers of the model's text (displayedResponse is the result).",
      resolve: (p) => p.markers,
    }),
    answerLinks: t.field({
      type: AnswerLinksRef,
      description: "Whether the links of the text were links.",
      resolve: (p) => p.answerLinks,
    }),
    studyHash: t.exposeString("studyHash", {
      nullable: true,
      description: "SHA-256 (hex) of the study file as deployed; null outside a study.",
    }),
  }),
});

/** The sources a caller is shown: the list as shown, or none when the condition hid it (researchers: always). */
export function shownSources(ctx: Context, r: QueryRecord) {
  return ctx.researcher || displayOf(r).sourcesShown ? r.sources : [];
}

/** Adds the presentation fields to an answer type (its records are QueryRecords, or more). */
export function addPresentationFields(ref: ObjectRef<PothosTypes, QueryRecord>): void {
  builder.objectFields(ref, (t) => ({
    displayedResponse: t.string({
      nullable: true,
      description:
        "The answer as the participant saw it: its citation markers renumbered to the sources as shown, or removed, as the condition says (response is the model's own text).",
      resolve: (r) => r.displayedResponse,
    }),
    display: t.field({
      type: AnswerDisplayRef,
      description: "How the page shows this answer (sources, markers, links).",
      resolve: (r) => r,
    }),
    modelSources: t.field({
      type: [SourceRef],
      nullable: true,
      description:
        "The sources as the model returned them, in its order, before the condition reordered, cut or injected any. Researchers only; null for participants.",
      resolve: (r, _args, ctx) => forResearchers(ctx, r.modelSources),
    }),
    provenance: t.field({
      type: ProvenanceRef,
      nullable: true,
      description:
        "What produced the answer and how it was shown. Researchers only (it names the condition's settings); null for participants, and for answers stored before it was kept.",
      resolve: (r, _args, ctx) => forResearchers(ctx, r.provenance),
    }),
  }));
}
