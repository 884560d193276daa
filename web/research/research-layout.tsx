import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";

/**
 * The frame of the researcher's pages: a header with the way back to the
 * studies and sign-out (when signed in), and the page. `data-untracked`:
 * the browser tracker records nothing here (researchers are not participants).
 */
export function ResearchLayout({
  title,
  signedIn,
  children,
}: {
  title: string;
  signedIn: boolean;
  children: ReactNode;
}) {
  return (
    <div className="research" data-untracked="">
      <header className="research-header">
        <p className="research-brand">
          {signedIn ? <Link to="/research">Studies</Link> : "Researcher sign-in"}
        </p>
        {signedIn ? (
          <Form method="post" action="/research/sign-out" reloadDocument>
            <button type="submit" className="button secondary">
              Sign out
            </button>
          </Form>
        ) : null}
      </header>
      <main className="research-body">
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
