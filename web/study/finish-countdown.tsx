import { useEffect, useState } from "react";

/**
 * The time left before the study lets the participant finish
 * (completion.minSeconds, counted by the server): the server's number as
 * the page was made, counting down once a script runs. The server decides;
 * this only says how long to wait.
 */
export function FinishCountdown({ seconds }: { seconds: number }) {
  const [left, setLeft] = useState(seconds);

  useEffect(() => {
    const started = Date.now();
    const tick = setInterval(() => {
      const now = Math.max(0, seconds - Math.floor((Date.now() - started) / 1000));
      setLeft(now);
      if (now === 0) clearInterval(tick);
    }, 1000);
    return () => clearInterval(tick);
  }, [seconds]);

  return (
    <p className="time-left" data-seconds-left={left}>
      {left > 0 ? `You can finish in ${left} second${left === 1 ? "" : "s"}.` : "You can finish now."}
    </p>
  );
}
