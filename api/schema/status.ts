import { builder } from "../builder";
import type { ComponentHealth } from "../store/store";
import type { Study } from "../studies/definition";
import { StudyRef } from "./studies";
import { problemsOf } from "./study-definitions";

type ComponentStatus = ComponentHealth & { name: string };

const ComponentStatusRef = builder.objectRef<ComponentStatus>("ComponentStatus").implement({
  description: "Health of one component (the store or the LLM).",
  fields: (t) => ({
    name: t.exposeString("name", { description: "d1, mongodb, mongodb-data-api; openai, scripted, ..." }),
    ok: t.exposeBoolean("ok", { description: "True when the component works." }),
    latencyMs: t.exposeFloat("latencyMs", {
      nullable: true,
      description: "Time of the health check, in milliseconds.",
    }),
    detail: t.exposeString("detail", {
      nullable: true,
      description: "Model name, database name or the reason it is not ok: never a secret.",
    }),
  }),
});

/**
 * Each check runs only when a field needs it, once per request: the site asks
 * for `status { llm { name } }` on every page view, which must not ping the
 * database.
 */
type Status = {
  store: () => Promise<ComponentStatus>;
  llm: () => Promise<ComponentStatus>;
  version: string;
  time: Date;
  researcherTokens: number;
  studies: Study[];
  /** Whether every active study can take new participants (a store failure counts as no). */
  studiesAvailable: () => Promise<boolean>;
};

function once<T>(check: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => {
    result ??= check();
    return result;
  };
}

const StatusRef = builder.objectRef<Status>("Status").implement({
  description: "Health of this deployment.",
  fields: (t) => ({
    ok: t.boolean({
      description:
        "True when the store and the LLM are ok and every active study can take new participants (see each study's `problems`).",
      resolve: async (s) => {
        const [store, llm, studies] = await Promise.all([s.store(), s.llm(), s.studiesAvailable()]);
        return store.ok && llm.ok && studies;
      },
    }),
    version: t.exposeString("version", { description: "Version of the platform." }),
    time: t.field({ type: "DateTime", description: "Server time now.", resolve: (s) => s.time }),
    store: t.field({ type: ComponentStatusRef, description: "The store.", resolve: (s) => s.store() }),
    llm: t.field({ type: ComponentStatusRef, description: "The LLM provider.", resolve: (s) => s.llm() }),
    researcherTokens: t.exposeInt("researcherTokens", {
      description: "How many researcher tokens are configured (0: nobody can export).",
    }),
    studies: t.field({
      type: [StudyRef],
      description:
        "The active studies and their conditions (no prompts, scripts or keys); `problems` says why one takes no new participants.",
      resolve: (s) => s.studies,
    }),
  }),
});

builder.queryField("status", (t) =>
  t.field({
    type: StatusRef,
    description: "Health of this deployment: public, and never shows a secret.",
    resolve: (_root, _args, ctx) => ({
      store: once(async () => ({ name: ctx.store.name, ...(await ctx.store.ping()) })),
      llm: once(async () => ({ name: ctx.llm.name, ...(await ctx.llm.health()) })),
      version: ctx.version,
      time: new Date(),
      researcherTokens: ctx.config.researcherTokens.length,
      studies: ctx.studies.list().filter((s) => s.active),
      studiesAvailable: once(async () => {
        const active = ctx.studies.list().filter((s) => s.active);
        const problems = await Promise.all(active.map((s) => problemsOf(ctx, s))).catch(() => null);
        return problems?.every((p) => p.length === 0) ?? false;
      }),
    }),
  }),
);
