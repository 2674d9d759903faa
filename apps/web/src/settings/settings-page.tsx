import { useEffect } from "react";
import { AccountBar } from "../auth/account-bar.tsx";
import { useSignedIn } from "../auth/auth-context.ts";
import { settingsHref, type SettingsTab } from "../routing.ts";
import { AccountTab } from "./account-tab.tsx";
import { MembersTab } from "./members-tab.tsx";
import { SecretsTab } from "./secrets-tab.tsx";
import { TokensTab } from "./tokens-tab.tsx";

const TABS: { tab: SettingsTab; label: string; ownerOnly: boolean }[] = [
  { tab: "members", label: "Members", ownerOnly: true },
  { tab: "tokens", label: "API tokens", ownerOnly: true },
  { tab: "secrets", label: "Secrets", ownerOnly: true },
  { tab: "account", label: "Account", ownerOnly: false },
];

/** Workspace settings (owners) and the person's own account (everyone). */
export function SettingsPage({ tab }: { tab: SettingsTab }) {
  const { workspace } = useSignedIn();
  const isOwner = workspace.role === "owner";
  const visible = TABS.filter((t) => isOwner || !t.ownerOnly);
  const shown = visible.some((t) => t.tab === tab) ? tab : "account";
  useEffect(() => {
    document.title = "Settings · Patchbay";
  }, []);

  return (
    <div className="home-page">
      <header className="topbar">
        <a href="#/" className="brand">Patchbay</a>
        <span className="topbar-spacer" />
        <AccountBar />
      </header>
      <main className="settings-main" data-testid="settings-page">
        <h1>Settings · {workspace.name}</h1>
        {!isOwner ? (
          <p className="notice" data-testid="not-owner-notice">
            You are {workspace.role === "viewer" ? "a" : "an"} {workspace.role} in this workspace. Only owners manage members, API tokens and secrets.
          </p>
        ) : null}
        <nav className="settings-tabs">
          {visible.map((t) => (
            <a key={t.tab} className="settings-tab" href={settingsHref(t.tab)} aria-current={t.tab === shown ? "page" : undefined} data-testid={`settings-tab-${t.tab}`}>
              {t.label}
            </a>
          ))}
        </nav>
        {shown === "members" ? <MembersTab /> : shown === "tokens" ? <TokensTab /> : shown === "secrets" ? <SecretsTab /> : <AccountTab />}
      </main>
    </div>
  );
}
