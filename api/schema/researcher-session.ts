import { builder } from "../builder";
import { issueResearcherSession, type ResearcherSession } from "../researchers/session";
import { requireResearcher } from "./researcher";

/**
 * Signing in on the site's researcher pages: the site sends the token typed
 * into the sign-in form as `Authorization: Bearer <token>`, so a wrong one is
 * counted against the address exactly as any other failed researcher-token
 * check (api/yoga.ts), and gets back a signed session for its cookie.
 */
const ResearcherSessionRef = builder
  .objectRef<{ token: string; session: ResearcherSession }>("ResearcherSession")
  .implement({
    description: "A researcher's signed-in session on the site.",
    fields: (t) => ({
      token: t.string({
        description: "The signed session, for the site's HttpOnly cookie: only the site can use it.",
        resolve: (s) => s.token,
      }),
      expiresAt: t.field({
        type: "DateTime",
        description: "When the session ends.",
        resolve: (s) => new Date(s.session.exp * 1000),
      }),
    }),
  });

builder.mutationField("startResearcherSession", (t) =>
  t.field({
    type: ResearcherSessionRef,
    description:
      "Signs a researcher in on the site: needs a researcher token (`Authorization: Bearer <token>`), else UNAUTHENTICATED (RATE_LIMITED after repeated failures from one address). The session works only through the site's own pages, for 12 hours.",
    resolve: (_root, _args, ctx) => {
      requireResearcher(ctx, "Signing in");
      return issueResearcherSession(ctx.config.sessionSecrets);
    },
  }),
);
