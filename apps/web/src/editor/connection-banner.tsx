import { useEffect, useState } from "react";
import { useEditorStore } from "./editor-store.ts";

// Connecting takes a moment on every page load; only a longer wait means the server is gone.
const GRACE_MS = 1500;

/** A banner while the server's run events cannot be reached; it goes away when they come back. */
export function ConnectionBanner() {
  const live = useEditorStore((s) => s.liveStatus);
  const [late, setLate] = useState(false);
  useEffect(() => {
    setLate(false);
    if (live === "live") return;
    const timer = setTimeout(() => setLate(true), GRACE_MS);
    return () => clearTimeout(timer);
  }, [live]);
  if (live === "live" || !late) return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <strong>Lost the connection to the Patchbay server.</strong> Run status and logs are paused and edits wait to be saved. Check that the server is
      running; this page reconnects by itself when it is back.
    </div>
  );
}
