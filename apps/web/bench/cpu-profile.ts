import { writeFileSync } from "node:fs";
import type { CDPSession, Page } from "playwright-core";
import { percentile } from "./frame-stats.ts";

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
  if (process.env.PATCHBAY_BENCH_PROFILE === "trace") return traced(page, label, action);
  if (process.env.PATCHBAY_BENCH_PROFILE !== "1") return action();
  const session: CDPSession = await page.context().newCDPSession(page);
  await session.send("Profiler.enable");
  await session.send("Profiler.setSamplingInterval", { interval: 200 });
  await session.send("Profiler.start");
  await action();
  const { profile } = await session.send("Profiler.stop");
  await session.detach();
  if (!isProfile(profile)) return;
  if (process.env.PATCHBAY_BENCH_PROFILE_OUT) writeFileSync(`${process.env.PATCHBAY_BENCH_PROFILE_OUT}-${label.replace(/\W+/g, "_")}.cpuprofile`, JSON.stringify(profile));
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

interface TraceEvent {
  name: string;
  ph: string;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string; data?: { functionName?: string; url?: string; lineNumber?: number } };
}

/**
 * Records a Chromium trace around `action` (PATCHBAY_BENCH_PROFILE=trace) and prints where the
 * renderer's main thread spent its time: the top trace events by total duration (nested
 * events are counted inside their parents too).
 */
async function traced(page: Page, label: string, action: () => Promise<void>): Promise<void> {
  const session: CDPSession = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  session.on("Tracing.dataCollected", (data) => events.push(...(data.value as unknown as TraceEvent[])));
  const complete = new Promise<void>((resolve) => session.once("Tracing.tracingComplete", () => resolve()));
  await session.send("Tracing.start", { categories: "devtools.timeline,disabled-by-default-devtools.timeline,blink,cc", transferMode: "ReportEvents" });
  await action();
  await session.send("Tracing.end");
  await complete;
  await session.detach();
  if (process.env.PATCHBAY_BENCH_PROFILE_OUT) writeFileSync(`${process.env.PATCHBAY_BENCH_PROFILE_OUT}-${label.replace(/\W+/g, "_")}.trace.json`, JSON.stringify(events));
  const main = events.find((e) => e.ph === "M" && e.name === "thread_name" && e.args?.name === "CrRendererMain")?.tid;
  const durations = new Map<string, number[]>();
  for (const e of events) {
    if (e.tid !== main || e.ph !== "X" || !e.dur) continue;
    const list = durations.get(e.name) ?? [];
    list.push(e.dur / 1000);
    durations.set(e.name, list);
  }
  const sum = (list: number[]) => list.reduce((a, b) => a + b, 0);
  console.log(`  Trace of ${label}: main-thread events by total duration (count, p50, max):`);
  for (const [name, list] of [...durations.entries()].sort((a, b) => sum(b[1]) - sum(a[1])).slice(0, 25)) {
    console.log(`    ${sum(list).toFixed(1).padStart(8)} ms  ${name} (${list.length}, ${percentile(list, 0.5).toFixed(2)} ms, ${Math.max(...list).toFixed(1)} ms)`);
  }
  // The longest tasks, and what was inside them.
  const onMain = events.filter((e) => e.tid === main && e.ph === "X" && e.dur);
  const tasks = onMain.filter((e) => e.name === "RunTask").sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0)).slice(0, 8);
  for (const task of tasks) {
    const inside = new Map<string, number>();
    for (const e of onMain) {
      if (e === task || e.ts < task.ts || e.ts + (e.dur ?? 0) > task.ts + (task.dur ?? 0)) continue;
      const fn = e.name === "FunctionCall" && e.args?.data ? `FunctionCall(${e.args.data.functionName || "?"}:${e.args.data.lineNumber ?? ""})` : e.name;
      inside.set(fn, (inside.get(fn) ?? 0) + (e.dur ?? 0) / 1000);
    }
    const top = [...inside.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(" · ");
    console.log(`    task ${((task.dur ?? 0) / 1000).toFixed(1)} ms: ${top}`);
  }
}
