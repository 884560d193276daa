import { RemixBrowser } from "@remix-run/react";
import { StrictMode, startTransition } from "react";
import { hydrateRoot } from "react-dom/client";
import { shimDeniedStorage } from "./embedding/storage-shim";
import { startTracker } from "./tracker/tracker";

// Before Remix runs: in a frame whose storage the browser denies, Remix would fail on it.
shimDeniedStorage();
startTracker();

startTransition(() => {
  hydrateRoot(
    document,
    <StrictMode>
      <RemixBrowser />
    </StrictMode>,
  );
});
