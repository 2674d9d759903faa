import { useEffect, useState } from "react";

export type SettingsTab = "members" | "tokens" | "secrets" | "account";

/** The pages of the app, addressed by the URL hash so the server only ever serves index.html. */
export type Route =
  | { page: "home" }
  | { page: "graph"; graphId: string }
  | { page: "settings"; tab: SettingsTab }
  | { page: "invite"; token: string };

const SETTINGS_TABS: readonly string[] = ["members", "tokens", "secrets", "account"];

function isSettingsTab(value: string): value is SettingsTab {
  return SETTINGS_TABS.includes(value);
}

export function parseRoute(hash: string): Route {
  const match = /^#\/graphs\/([^/?#]+)/.exec(hash);
  if (match?.[1]) return { page: "graph", graphId: decodeURIComponent(match[1]) };
  const invite = /^#\/invite\/([A-Za-z0-9_-]+)/.exec(hash);
  if (invite?.[1]) return { page: "invite", token: invite[1] };
  const settings = /^#\/settings(?:\/([a-z]+))?/.exec(hash);
  if (settings) {
    const tab = settings[1] ?? "members";
    return { page: "settings", tab: isSettingsTab(tab) ? tab : "members" };
  }
  return { page: "home" };
}

export function graphHref(graphId: string): string {
  return `#/graphs/${encodeURIComponent(graphId)}`;
}

export function settingsHref(tab: SettingsTab = "members"): string {
  return `#/settings/${tab}`;
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
