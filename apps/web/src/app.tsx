import { GraphListPage } from "./home/graph-list-page.tsx";
import { GraphPage } from "./editor/graph-page.tsx";
import { useRoute } from "./routing.ts";

export function App() {
  const route = useRoute();
  return route.page === "graph" ? <GraphPage key={route.graphId} graphId={route.graphId} /> : <GraphListPage />;
}
