import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

/** How often a monitor refreshes itself with JavaScript on (without it, the page has a Refresh link). */
export const REFRESH_SECONDS = 10;

/** Reloads the page's data every REFRESH_SECONDS while the tab is visible, without reloading the page. */
export function useRefresh(): void {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_SECONDS * 1000);
    return () => clearInterval(timer);
  }, [revalidator]);
}
