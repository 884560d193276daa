import type { StudyEmbedding } from "../api/studies/embedding";
import type { Api } from "../api/yoga";

/**
 * What every loader and action gets from the Worker: the API's Yoga instance,
 * reached only through the typed client (web/graphql/client.server.ts).
 */
declare module "@remix-run/cloudflare" {
  interface AppLoadContext {
    graphql: Api;
    waitUntil: (promise: Promise<unknown>) => void;
    /** What the pages' headers and sessions need of the studies: who may frame a study's pages (null: nobody). */
    security: { embeddingOf(studyId: string): StudyEmbedding | null };
  }
}
