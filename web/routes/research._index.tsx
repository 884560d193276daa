import { type ActionFunctionArgs, json, type LoaderFunctionArgs, redirect } from "@remix-run/cloudflare";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { clientIp } from "../../api/limits/client-ip";
import { ApiCallError, apiClient } from "../graphql/client.server";
import { ResearchStudiesDocument, StartResearcherSessionDocument } from "../graphql/generated/graphql";
import { RESEARCH_HEADERS } from "../research/headers.server";
import { ResearchLayout } from "../research/research-layout";
import {
  researcherApi,
  researcherSessionCookie,
  sessionCookieHeader,
  signOutCookieHeader,
} from "../research/session.server";
import { shareOf } from "../research/share";
import { retryAfter } from "../security/retry-after";

/**
 * `/research`: the sign-in form, or (signed in) every study of the
 * deployment with its version, definition hash and conditions, each linking
 * to its monitor.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  if (!researcherSessionCookie(request)) return json({ studies: null });
  try {
    const { studies } = await researcherApi(request, context).run(ResearchStudiesDocument, {});
    return json({ studies });
  } catch (error) {
    if (!(error instanceof ApiCallError) || error.code !== "UNAUTHENTICATED") throw error;
    // Expired, or signed with a retired secret: the form again, and the cookie gone.
    return json({ studies: null }, { headers: { "Set-Cookie": signOutCookieHeader(request) } });
  }
}

const signInForm = z.object({ token: z.string().trim().min(1).max(512) });

const MESSAGES = {
  empty: "Enter a researcher token: one of the tokens in RESEARCHER_TOKENS.",
  wrong: "That is not a researcher token of this deployment. Check it and try again.",
} as const;

export const headers = retryAfter;

export async function action({ request, context }: ActionFunctionArgs) {
  const form = signInForm.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return json({ error: MESSAGES.empty }, { status: 400, headers: RESEARCH_HEADERS });
  // The token goes to the API as a bearer token: a wrong one counts against this address there.
  const api = apiClient(context, { authorization: `Bearer ${form.data.token}`, clientIp: clientIp(request) });
  try {
    const { startResearcherSession } = await api.run(StartResearcherSessionDocument, {});
    return redirect("/research", {
      headers: {
        "Set-Cookie": sessionCookieHeader(request, startResearcherSession.token),
        ...RESEARCH_HEADERS,
      },
    });
  } catch (error) {
    if (!(error instanceof ApiCallError)) throw error;
    if (error.code === "RATE_LIMITED") {
      const retry = String(error.extensions.retryAfterSeconds ?? 60);
      return json(
        { error: error.message },
        { status: 429, headers: { "Retry-After": retry, ...RESEARCH_HEADERS } },
      );
    }
    if (error.code === "UNAUTHENTICATED")
      return json({ error: MESSAGES.wrong }, { status: 401, headers: RESEARCH_HEADERS });
    throw error;
  }
}

export default function Research() {
  const { studies } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  if (!studies) {
    return (
      <ResearchLayout title="Sign in" signedIn={false}>
        <Form method="post" className="sign-in">
          <label htmlFor="token">Researcher token</label>
          <input
            id="token"
            name="token"
            type="password"
            autoComplete="current-password"
            required
            aria-invalid={failed ? true : undefined}
            aria-describedby={failed ? "sign-in-error" : undefined}
          />
          {failed ? (
            <p id="sign-in-error" className="error" role="alert">
              {failed.error}
            </p>
          ) : null}
          <button type="submit" className="button primary">
            Sign in
          </button>
        </Form>
      </ResearchLayout>
    );
  }
  return (
    <ResearchLayout title="Studies" signedIn>
      <table className="research-table">
        <caption className="visually-hidden">Every study of this deployment</caption>
        <thead>
          <tr>
            <th scope="col">Study</th>
            <th scope="col">Version</th>
            <th scope="col">Active</th>
            <th scope="col">Definition hash</th>
            <th scope="col">Conditions (weight, share)</th>
          </tr>
        </thead>
        <tbody>
          {studies.map((study) => (
            <tr key={study.id} data-study={study.id}>
              <th scope="row">
                <Link to={`/research/s/${study.id}`}>{study.title}</Link> <code>{study.id}</code>
              </th>
              <td>{study.version}</td>
              <td>{study.active ? "yes" : "no"}</td>
              <td>{study.definitionHash ? <code className="hash">{study.definitionHash}</code> : "none"}</td>
              <td>
                <ul className="plain">
                  {study.conditions.map((c) => (
                    <li key={c.id}>
                      <code>{c.id}</code> {c.weight} ({shareOf(c.weight, study.conditions)})
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </ResearchLayout>
  );
}
