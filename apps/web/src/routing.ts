import { useEffect, useState } from "react";

/** The pages of the app, addressed by the URL hash so the server only ever serves index.html. */
export type Route = { page: "home" } | { page: "graph"; graphId: string };

export function parseRoute(hash: string): Route {
  const match = /^#\/graphs\/([^/?#]+)/.exec(hash);
  if (match?.[1]) return { page: "graph", graphId: decodeURIComponent(match[1]) };
  return { page: "home" };
}

export function graphHref(graphId: string): string {
  return `#/graphs/${encodeURIComponent(graphId)}`;
}

export function navigate(href: string): void {
  window.location.hash = href.startsWith("#") ? href.slice(1) : href;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }, []);
  return route;
}
