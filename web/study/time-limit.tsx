import { useNavigate } from "@remix-run/react";
import { useEffect } from "react";

/**
 * With a script running, goes to the study's end page once the
 * participant's time is up (completion.maxSeconds, as the server counted
 * it when the page was made), where the server ends their part timed-out.
 * Without one, the server does the same at their next message or page.
 */
export function TimeLimit({ seconds, to }: { seconds: number | null; to: string }) {
  const navigate = useNavigate();
  useEffect(() => {
    if (seconds === null) return;
    // A second more than the server counted, so its clock has passed the limit too.
    const timer = setTimeout(() => navigate(to), (seconds + 1) * 1000);
    return () => clearTimeout(timer);
  }, [seconds, to, navigate]);
  return null;
}
