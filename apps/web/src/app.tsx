import { GraphListPage } from "./home/graph-list-page.tsx";
import { GraphPage } from "./editor/graph-page.tsx";
import { AuthGate } from "./auth/auth-gate.tsx";
import { SettingsPage } from "./settings/settings-page.tsx";
import { useRoute } from "./routing.ts";

export function App() {
  const route = useRoute();
  return (
    <AuthGate route={route}>
      {route.page === "graph" ? (
        <GraphPage key={route.graphId} graphId={route.graphId} />
      ) : route.page === "settings" ? (
        <SettingsPage tab={route.tab} />
      ) : (
        <GraphListPage />
      )}
    </AuthGate>
  );
}
