import type { CDPSession, Page } from "playwright-core";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

function isProfile(value: unknown): value is Profile {
  return typeof value === "object" && value !== null && "nodes" in value && Array.isArray(value.nodes);
}

/** Records the page's JavaScript CPU profile around `action` (PATCHBAY_BENCH_PROFILE=1) and prints the top functions by self time. */
export async function profiled(page: Page, label: string, action: () => Promise<void>): Promise<void> {
  if (process.env.PATCHBAY_BENCH_PROFILE !== "1") return action();
  const session: CDPSession = await page.context().newCDPSession(page);
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 200 });
  await session.send("Profiler.start");
  await action();
  const { profile } = await session.send("Profiler.stop");
  await session.detach();
  if (!isProfile(profile)) return;
  const selfTime = new Map<string, number>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const file = node.callFrame.url.split("/").pop() ?? "";
    const key = `${node.callFrame.functionName || "(anonymous)"} ${file}:${node.callFrame.lineNumber}`;
    selfTime.set(key, (selfTime.get(key) ?? 0) + (deltas[i] ?? 0) / 1000);
  });
  const total = [...selfTime.values()].reduce((a, b) => a + b, 0);
  console.log(`  CPU profile of ${label}: ${total.toFixed(0)} ms sampled; top functions by self time:`);
  for (const [name, ms] of [...selfTime.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${ms.toFixed(1).padStart(8)} ms  ${name}`);
}
