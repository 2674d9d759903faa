import { useEffect } from "react";
import { ReactFlowProvider } from "@xyflow/react";
import { dismissNotice, hasUnsavedChanges, loadGraph, retrySave, unloadGraph, useEditorStore } from "./editor-store.ts";
import { Canvas } from "./canvas.tsx";
import { EditorToolbar } from "./editor-toolbar.tsx";
import { ConcurrencySetting } from "./concurrency-setting.tsx";
import { VersionBanner, VersionsPanel } from "./versions-panel.tsx";
import { Palette } from "./palette.tsx";
import { SidePanel } from "./side-panel.tsx";
import { BottomPanel } from "./bottom-panel.tsx";
import { ConnectionBanner } from "./connection-banner.tsx";

function SaveIndicator() {
  const status = useEditorStore((s) => s.saveStatus);
  switch (status.state) {
    case "saved":
      return <span className="save-status saved" data-testid="save-status" data-state="saved">All changes saved</span>;
    case "pending":
    case "saving":
      return <span className="save-status saving" data-testid="save-status" data-state={status.state}>Saving…</span>;
    case "error":
      return (
        <span className="save-status error" data-testid="save-status" data-state="error" role="alert">
          {status.message}{" "}
          <button type="button" className="link-button" onClick={retrySave}>Retry</button>{" "}
          <button type="button" className="link-button" onClick={() => window.location.reload()}>Reload</button>
        </span>
      );
  }
}

function LiveIndicator() {
  const live = useEditorStore((s) => s.liveStatus);
  const label = live === "live" ? "Live" : live === "connecting" ? "Connecting…" : "Run updates paused; reconnecting";
  return <span className={`live-status ${live}`} title="Run status updates from the server">{label}</span>;
}

function Notice() {
  const notice = useEditorStore((s) => s.notice);
  if (!notice) return null;
  return (
    <div className="notice" role="alert" data-testid="notice">
      <span>{notice}</span>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={dismissNotice}>×</button>
    </div>
  );
}

export function GraphPage({ graphId }: { graphId: string }) {
  const title = useEditorStore((s) => s.title);
  const loaded = useEditorStore((s) => s.document !== null);
  const loadError = useEditorStore((s) => s.loadError);

  useEffect(() => {
    void loadGraph(graphId);
    return unloadGraph;
  }, [graphId]);

  useEffect(() => {
    // Code edits wait ~400 ms before they are sent; warn before a reload or close drops them.
    const warn = (event: BeforeUnloadEvent) => {
      if (hasUnsavedChanges()) event.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, []);

  useEffect(() => {
    if (title) document.title = `${title} · Patchbay`;
  }, [title]);

  return (
    <ReactFlowProvider>
    <div className="graph-page">
      <header className="topbar">
        <a href="#/" className="brand">Patchbay</a>
        <span className="crumb-sep">/</span>
        <span className="graph-title" data-testid="graph-title">{title || "…"}</span>
        <span className="topbar-spacer" />
        {loaded ? <ConcurrencySetting /> : null}
        {loaded ? <EditorToolbar /> : null}
        {loaded ? <LiveIndicator /> : null}
        {loaded ? <SaveIndicator /> : null}
      </header>
      {loadError ? (
        <div className="page-message">
          <p className="error-text" role="alert">{loadError}</p>
          <p><a href="#/">Back to all graphs</a></p>
        </div>
      ) : !loaded ? (
        <div className="page-message muted">Opening the graph…</div>
      ) : (
          <div className="workspace">
            <Palette />
            <main className="canvas-area">
              <Canvas />
              <Notice />
              <ConnectionBanner />
              <VersionBanner />
            </main>
            <SidePanel />
            <BottomPanel />
            <VersionsPanel />
          </div>
      )}
    </div>
    </ReactFlowProvider>
  );
}
