import { type ActionFunctionArgs, redirect } from "@remix-run/cloudflare";
import { RESEARCH_HEADERS } from "../research/headers.server";
import { SIGN_IN_PATH, signOutCookieHeader } from "../research/session.server";

/** Sign out (POST only): the session cookie is cleared; the sign-in form follows. */
export function action({ request }: ActionFunctionArgs) {
  return redirect(SIGN_IN_PATH, {
    headers: { "Set-Cookie": signOutCookieHeader(request), ...RESEARCH_HEADERS },
  });
}

export function loader() {
  return redirect(SIGN_IN_PATH);
}
