/**
 * The query parameter that carries a participant's URL token on an
 * embeddable study's pages (url-token.ts), and its removal from a stored
 * page address. Apart from the signing code, so that the page's script can
 * import them.
 */
export const URL_TOKEN_PARAM = "lsp_token";

const TOKEN_PARAMETER = new RegExp(`([?&])${URL_TOKEN_PARAM}=[^&#]*&?`, "g");

/**
 * `url` without its lsp_token parameters, the rest of it exactly as it was
 * (as the page's address is stored). Text, not a parsed URL, so nothing else
 * is re-encoded.
 */
export function withoutUrlToken(url: string): string;
export function withoutUrlToken(url: string | null): string | null;
export function withoutUrlToken(url: string | null): string | null {
  if (url === null || !url.includes(`${URL_TOKEN_PARAM}=`)) return url;
  let stripped = url;
  // Again until none is left: each removal takes the "&" that a next parameter would start with.
  for (let before = ""; before !== stripped; ) {
    before = stripped;
    stripped = stripped.replace(TOKEN_PARAMETER, "$1");
  }
  // A query left empty ("?" or a trailing "&") before the fragment or the end goes too.
  return stripped === url ? url : stripped.replace(/[?&](?=#|$)/, "");
}
