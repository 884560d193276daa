import { URL_TOKEN_PARAM } from "../../api/participants/url-token-param";

/**
 * `href` (a path of this site, with or without a query and fragment) with
 * the participant's URL token as its lsp_token parameter; as it is without
 * one (api/participants/url-token.ts). The server's links and the page's
 * script both add it here.
 */
export function withLinkToken(href: string, token: string | null | undefined): string {
  if (!token) return href;
  const hash = href.indexOf("#");
  const [path, fragment] = hash < 0 ? [href, ""] : [href.slice(0, hash), href.slice(hash)];
  const parameter = `${URL_TOKEN_PARAM}=${encodeURIComponent(token)}`;
  return `${path}${path.includes("?") ? "&" : "?"}${parameter}${fragment}`;
}
