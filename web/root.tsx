import type { LinksFunction, MetaFunction } from "@remix-run/cloudflare";
import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteError,
} from "@remix-run/react";
import { type ReactNode, useEffect } from "react";
import { useNonce } from "./security/nonce";
import styles from "./styles/app.css?url";
import { pageView } from "./tracker/tracker";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = ({ error }) => [
  { title: error ? errorPage(error).title : "Ask the assistant" },
];

/**
 * Whether the page is an embeddable study's (its loader data says where it
 * may post messages): it may be in a frame whose storage the browser denies,
 * where ScrollRestoration's inline script would throw (embedding/storage-shim.ts
 * runs only after it).
 */
function useEmbeddable(): boolean {
  return useMatches().some((match) => {
    const data = match.data as { embed?: unknown } | null | undefined;
    return typeof data === "object" && data !== null && data.embed != null;
  });
}

export function Layout({ children }: { children: ReactNode }) {
  // The page's CSP nonce (web/security/headers.server.ts): Remix's inline scripts need it to run.
  const nonce = useNonce();
  const embeddable = useEmbeddable();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {embeddable ? null : <ScrollRestoration nonce={nonce} />}
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const location = useLocation();
  // A page view is a document load or a new pathname, logged once: not a new hash or search
  // (the chat moves to ?c=...#a-<id> after each answer). The tracker checks the pathname too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the pathname is the trigger
  useEffect(() => pageView(), [location.pathname]);
  return <Outlet />;
}

/** The messages of Remix's own error responses (no route matches a URL) are for developers. */
const FALLBACK_MESSAGES: Record<number, string> = {
  404: "There is no page at this address. Please check the link you were given.",
};

/** What the error page says: the status, and a message for the participant. */
function errorPage(error: unknown): { title: string; message: string } {
  if (!isRouteErrorResponse(error))
    return {
      title: "Something went wrong",
      message: "Please reload the page. Your earlier messages are saved.",
    };
  // `internal` (not in the type, kept through hydration) marks the responses Remix makes itself.
  const fromRemix = "internal" in error && error.internal === true;
  return {
    title: `${error.status} ${error.statusText}`,
    message:
      typeof error.data === "string" && !fromRemix
        ? error.data
        : (FALLBACK_MESSAGES[error.status] ?? "This page could not be shown."),
  };
}

/** One error page for every route: expected errors are Responses with a message for the participant. */
export function ErrorBoundary() {
  const { title, message } = errorPage(useRouteError());
  return (
    <main className="error-page">
      <h1>{title}</h1>
      <p>{message}</p>
      <p>
        <a href="/">Back to the chat</a>
      </p>
    </main>
  );
}
