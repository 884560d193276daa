import { createContext, useContext } from "react";

/**
 * The CSP nonce of the page being rendered, from entry.server.tsx to the
 * root Layout's <Scripts> and <ScrollRestoration>. In the browser there is
 * none (browsers hide it from the DOM too); Remix's scripts suppress the
 * hydration warning for it.
 */
export const NonceContext = createContext<string | undefined>(undefined);

export const useNonce = () => useContext(NonceContext);
