import { useEffect, useState } from "react";

/**
 * A button that copies the participant's code. Shown only once a script
 * runs and the browser offers the clipboard: with JavaScript off the code
 * stays plain, selectable text next to where the button would be.
 */
export function CopyCode({ code }: { code: string }) {
  const [available, setAvailable] = useState(false);
  const [status, setStatus] = useState("");

  useEffect(() => {
    setAvailable(typeof navigator !== "undefined" && navigator.clipboard !== undefined);
  }, []);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setStatus("Copied.");
    } catch {
      setStatus("The code could not be copied: please select it and copy it yourself.");
    }
  }

  return (
    <>
      {available ? (
        <button type="button" className="secondary copy-code" onClick={copy} data-copy-code>
          Copy code
        </button>
      ) : null}
      <span className="copy-status" role="status">
        {status}
      </span>
    </>
  );
}
