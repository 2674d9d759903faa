// The canvas benchmark (`npm run bench:canvas`): a generated graph of 1,000 nodes and 1,500
// edges, opened in headless Chromium against the real server. Prints the time to first
// render and frame times while panning, zooming and dragging a node, measured inside the page.
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { chromium, type CDPSession, type Page } from "playwright-core";
import { ensureWebBuild } from "../e2e/build-web.ts";
import { findChromium } from "../e2e/find-chromium.ts";
import { startServer } from "../e2e/server.ts";
import { CHROMIUM_ARGS, trpc } from "../e2e/run-data-helpers.ts";
import { benchGraph } from "./canvas-graph.ts";
import { frameStats, type FrameStats } from "./frame-stats.ts";
import { profiled } from "./cpu-profile.ts";
import { compositedLayers } from "./layers.ts";

const PAIRS = 500;
const VIEWPORT = { width: 1600, height: 1000 };
// How long each interaction is measured.
const SECONDS = 3;

/** Starts recording frames inside the page: rAF intervals and the main-thread time of each frame. */
async function startRecording(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __bench: { intervals: number[]; work: number[]; starts: number[]; running: boolean } };
    const state = { intervals: [] as number[], work: [] as number[], starts: [] as number[], running: true };
    w.__bench = state;
    const channel = new MessageChannel();
    let frameStart = 0;
    // A message posted from rAF runs after the frame's style, layout and paint: its arrival
    // time minus the frame's start is the main-thread time the frame took.
    channel.port1.onmessage = () => {
      state.work.push(performance.now() - frameStart);
      state.starts.push(frameStart);
    };
    let last = 0;
    const tick = (t: number) => {
      if (!state.running) return;
      if (last) state.intervals.push(t - last);
      last = t;
      frameStart = t;
      channel.port2.postMessage(null);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** Frames recorded: rAF intervals, and each frame's start and main-thread time. */
async function stopRecording(page: Page): Promise<{ intervals: number[]; work: number[]; starts: number[] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __bench: { intervals: number[]; work: number[]; starts: number[]; running: boolean } };
    w.__bench.running = false;
    return { intervals: w.__bench.intervals, work: w.__bench.work, starts: w.__bench.starts };
  });
}

/** An empty point of the canvas (no node or edge under it), to start a pan from. */
async function emptyPoint(page: Page): Promise<{ x: number; y: number }> {
  const point = await page.evaluate(() => {
    const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
    if (!pane) return null;
    for (let y = pane.top + 40; y < pane.bottom - 40; y += 17) {
      for (let x = pane.left + 200; x < pane.right - 200; x += 23) {
        const hit = document.elementFromPoint(x, y);
        if (hit?.classList.contains("react-flow__pane")) return { x, y };
      }
    }
    return null;
  });
  if (!point) throw new Error("No empty point on the canvas to pan from");
  return point;
}

/** Chromium's own totals of main-thread time (seconds), read over CDP. */
async function mainThreadTotals(session: CDPSession): Promise<Record<string, number>> {
  const { metrics } = await session.send("Performance.getMetrics");
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

/** The canvas's zoom, from React Flow's viewport transform. */
async function viewZoom(page: Page): Promise<number> {
  const transform = await page.locator(".react-flow__viewport").evaluate((el) => (el as HTMLElement).style.transform);
  return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1] ?? Number.NaN);
}

/** Zooms the canvas to 1 about the viewport's middle (React Flow zooms by 2^(-deltaY × 0.002) per wheel event). */
async function zoomToOne(page: Page): Promise<void> {
  await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 2);
  await page.mouse.wheel(0, -Math.log2(1 / (await viewZoom(page))) / 0.002);
  await page.waitForTimeout(SETTLE_MS);
}

// How long frames are still recorded after the last input: the canvas settles (at the end of a
// pan or zoom the culling is worked out again, culled-nodes.ts; a node selected opens its code).
const SETTLE_MS = 1000;

async function measure(page: Page, label: string, action: () => Promise<void>): Promise<FrameStats> {
  const session = await page.context().newCDPSession(page);
  await session.send("Performance.enable");
  const before = await mainThreadTotals(session);
  const zoomAtStart = await viewZoom(page);
  const drawnAtStart = await page.locator(".react-flow__node").count();
  await startRecording(page);
  await profiled(page, label, action);
  const after = await mainThreadTotals(session);
  const inputEnded = await page.evaluate(() => performance.now());
  await page.waitForTimeout(SETTLE_MS);
  const frames = await stopRecording(page);
  await session.detach();
  const during = frames.starts.filter((start) => start < inputEnded).length;
  const stats = frameStats(frames.intervals.slice(0, Math.max(0, during - 1)), frames.work.slice(0, during));
  const settling = frames.work.slice(during);
  // Where the main thread's time went, per frame on average: script, style, layout and the rest (paint, input, GC).
  const perFrame = (name: string) => (((after[name] ?? 0) - (before[name] ?? 0)) * 1000) / Math.max(1, stats.frames);
  const [task, script, style, layout] = ["TaskDuration", "ScriptDuration", "RecalcStyleDuration", "LayoutDuration"].map(perFrame) as [number, number, number, number];
  console.log(
    `${label.padEnd(20)} frames ${String(stats.frames).padStart(4)} (from zoom ${zoomAtStart.toFixed(2)}, ${drawnAtStart} nodes drawn) · interval p50 ${stats.intervalP50.toFixed(1)} ms, p95 ${stats.intervalP95.toFixed(1)} ms · ` +
      `main-thread work p50 ${stats.workP50.toFixed(1)} ms, p95 ${stats.workP95.toFixed(1)} ms, max ${stats.workMax.toFixed(1)} ms\n` +
      `${"".padEnd(20)} mean per frame: script ${script.toFixed(1)} ms, style ${style.toFixed(1)} ms, layout ${layout.toFixed(1)} ms, other ${(task - script - style - layout).toFixed(1)} ms\n` +
      `${"".padEnd(20)} settling, ${SETTLE_MS / 1000} s after the last input: longest frame ${settling.length ? Math.max(...settling).toFixed(1) : "-"} ms`,
  );
  return stats;
}

type Point = { x: number; y: number };

/**
 * The left button, pressed, moved and released as the browser gets it from a mouse: CDP's
 * Input.dispatchMouseEvent. Playwright's own mouse, while a button is down, wraps each move
 * in its drag-and-drop detection (two script evaluations in the page, a listener, a timer and
 * two more CDP calls): work a person's mouse does not bring, which landed in the very frames
 * measured (docs/benchmarks.md, "The hand").
 */
class Hand {
  private readonly session: CDPSession;

  private constructor(session: CDPSession) {
    this.session = session;
  }

  static async of(page: Page): Promise<Hand> {
    return new Hand(await page.context().newCDPSession(page));
  }

  private send(type: "mousePressed" | "mouseMoved" | "mouseReleased", { x, y }: Point, buttons: number): Promise<unknown> {
    return this.session.send("Input.dispatchMouseEvent", { type, x, y, button: "left", buttons, clickCount: type === "mouseMoved" ? 0 : 1 });
  }

  async press(at: Point): Promise<void> {
    await this.send("mouseMoved", at, 0);
    await this.send("mousePressed", at, 1);
  }

  async moveTo(at: Point): Promise<void> {
    await this.send("mouseMoved", at, 1);
  }

  async release(at: Point): Promise<void> {
    await this.send("mouseReleased", at, 0);
  }
}

/** Moves the pressed mouse along a path for SECONDS, one step per frame, as a hand does; returns where it ends. */
async function sweep(hand: Hand, from: Point, dx: number, dy: number): Promise<Point> {
  const steps = SECONDS * 60;
  const started = Date.now();
  let at = from;
  for (let i = 1; i <= steps; i++) {
    const phase = Math.sin((i / steps) * Math.PI * 2);
    at = { x: from.x + dx * phase, y: from.y + dy * (i / steps) };
    await hand.moveTo(at);
    const due = started + (i * 1000) / 60;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  return at;
}

/** Presses at `from`, sweeps (see sweep) and releases where the sweep ended. */
async function dragAlong(hand: Hand, from: Point, dx: number, dy: number): Promise<void> {
  await hand.press(from);
  await hand.release(await sweep(hand, from, dx, dy));
}

/** Drags empty canvas around for SECONDS. */
async function panCanvas(page: Page, hand: Hand): Promise<void> {
  await dragAlong(hand, await emptyPoint(page), 300, 120);
}

/**
 * Where to grab the node nearest the middle of the canvas: its header if React Flow draws it,
 * else (zoomed out) its body in the node sketch.
 */
async function grabPoint(page: Page): Promise<Point> {
  const point = await page.evaluate(() => {
    const pane = document.querySelector(".react-flow__pane")?.getBoundingClientRect();
    if (!pane) return null;
    const middle = { x: pane.left + pane.width / 2, y: pane.top + pane.height / 2 };
    let best: { x: number; y: number; d: number } | null = null;
    const consider = (x: number, y: number) => {
      const d = Math.hypot(x - middle.x, y - middle.y);
      if (!best || d < best.d) best = { x, y, d };
    };
    for (const el of Array.from(document.querySelectorAll(".react-flow__node .node-header"))) {
      const box = el.getBoundingClientRect();
      if (box.width > 0) consider(box.left + box.width / 2, box.top + box.height / 2);
    }
    if (best) return best;
    // A point well inside a sketched node: a few pixels each way are on it too.
    const onBody = (x: number, y: number) => document.elementFromPoint(x, y)?.classList.contains("node-sketch-body") === true;
    for (let y = middle.y - 200; y <= middle.y + 200; y += 5) {
      for (let x = middle.x - 200; x <= middle.x + 200; x += 5) {
        if ([-4, 0, 4].every((dx) => [-4, 0, 4].every((dy) => onBody(x + dx, y + dy)))) consider(x, y);
      }
    }
    return best;
  });
  if (!point) throw new Error("No node on screen to drag");
  return point;
}

/**
 * Selects the node nearest the middle of the canvas (grabPoint), then drags it around for
 * SECONDS. Selecting opens its code in the side panel (the code editor is created then), and
 * zoomed out has React Flow draw it: costs of their own, measured apart from the drag.
 */
async function dragNode(page: Page, hand: Hand, zoom: string): Promise<FrameStats> {
  const grab = await grabPoint(page);
  await measure(page, `select, ${zoom}`, () => page.mouse.click(grab.x, grab.y));
  const id = await page.locator(".react-flow__node.selected").getAttribute("data-id");
  const nodeTransform = () => page.evaluate((id) => (document.querySelector(`.react-flow__node[data-id="${id}"]`) as HTMLElement | null)?.style.transform, id);
  const before = await nodeTransform();
  const stats = await measure(page, `drag a node, ${zoom}`, () => dragAlong(hand, grab, 150, 100));
  // A press that reached something else (the pane) would have measured a pan.
  if ((await nodeTransform()) === before) throw new Error(`The drag did not move node ${id}`);
  return stats;
}

const met = (ok: boolean) => (ok ? "met" : "MISSED");

/**
 * The same pan and drag on a graph of a few nodes at zoom 1, in the same run: what this machine,
 * as it is during the run, takes for the gestures on a canvas with next to nothing on it.
 * Frame times of a 2-core machine without GPU move with its load from hour to hour (the
 * raster and compositor threads share the cores with the page), and the big graph's figures
 * read best next to this floor.
 */
async function measureBaseline(page: Page, hand: Hand, url: string, graph: { id: string; nodes: number }): Promise<{ pan: FrameStats; drag: FrameStats }> {
  await page.goto(`${url}/#/graphs/${graph.id}`);
  await page.locator(".react-flow__node").nth(graph.nodes - 1).waitFor();
  await page.waitForTimeout(SETTLE_MS);
  await zoomToOne(page);
  const pan = await measure(page, "baseline pan", () => panCanvas(page, hand));
  const drag = await dragNode(page, hand, "baseline");
  return { pan, drag };
}

async function main(): Promise<void> {
  const started = Date.now();
  await ensureWebBuild();
  // Its url is a small local proxy that signs every request in as the owner.
  const server = await startServer();
  const profile = mkdtempSync(path.join(tmpdir(), "patchbay-bench-chromium-"));
  try {
    console.log(`Server up in ${((Date.now() - started) / 1000).toFixed(1)} s (including a web build if needed)`);
    const { nodes, edges } = benchGraph(PAIRS);
    const creating = Date.now();
    const graph = await trpc<{ id: string }>(server.url, "graphs.create", { title: "Canvas benchmark" });
    for (let i = 0; i < nodes.length; i += 500) {
      await trpc(server.url, "graphs.applyChanges", { id: graph.id, changes: nodes.slice(i, i + 500).map((node) => ({ type: "addNode", node })) });
    }
    console.log(`Graph: ${nodes.length} nodes, ${edges} edges (created through the API in ${((Date.now() - creating) / 1000).toFixed(1)} s)`);
    const baselineNodes = benchGraph(2).nodes;
    const small = await trpc<{ id: string }>(server.url, "graphs.create", { title: "Canvas benchmark baseline" });
    await trpc(server.url, "graphs.applyChanges", { id: small.id, changes: baselineNodes.map((node) => ({ type: "addNode", node })) });

    const context = await chromium.launchPersistentContext(profile, { executablePath: findChromium(), headless: true, args: CHROMIUM_ARGS, viewport: VIEWPORT });
    const page = context.pages()[0] ?? (await context.newPage());
    // Warm the HTTP cache with the app's files, as a returning visitor has them.
    await page.goto(`${server.url}/#/`);
    await page.waitForLoadState("networkidle");

    // Time to first render: navigation start → the last node of the first view is drawn
    // (React Flow shows a node once it has measured it; or sketched), followed by a quiet second.
    await page.addInitScript(() => {
      const w = window as unknown as { __lastNodeChange: number; __nodes: number; __observer: MutationObserver };
      w.__lastNodeChange = 0;
      w.__nodes = 0;
      const observer = new MutationObserver(() => {
        // Zoomed out, most nodes are one drawing (node-sketch.tsx) that says how many it draws.
        const sketched = Number(document.querySelector("[data-testid='node-sketch']")?.getAttribute("data-nodes") ?? 0);
        const shown = document.querySelectorAll(".react-flow__node:not([style*='visibility: hidden'])").length + sketched;
        if (shown !== w.__nodes) {
          w.__nodes = shown;
          w.__lastNodeChange = performance.now();
        }
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ["style", "data-nodes"] });
      w.__observer = observer;
    });
    // A new document (not a hash change), so the init script runs and timing starts at zero.
    await page.goto("about:blank");
    await profiled(page, "first render", async () => {
      await page.goto(`${server.url}/#/graphs/${graph.id}`);
      try {
        await page.waitForFunction(() => (window as unknown as { __nodes: number }).__nodes > 0, undefined, { timeout: 60_000 });
      } catch (error) {
        const shot = path.join(tmpdir(), "patchbay-bench-failed.png");
        await page.screenshot({ path: shot });
        throw new Error(`The graph did not render (screenshot: ${shot}); the page says:\n${(await page.innerText("body")).slice(0, 1000)}`, { cause: error });
      }
      let previous = -1;
      for (;;) {
        await page.waitForTimeout(1000);
        const last = await page.evaluate(() => (window as unknown as { __lastNodeChange: number }).__lastNodeChange);
        if (last === previous) break;
        previous = last;
      }
    });
    const firstRender = await page.evaluate(() => {
      const w = window as unknown as { __lastNodeChange: number; __nodes: number; __observer: MutationObserver };
      // It would count nodes on every change of the frames measured next.
      w.__observer.disconnect();
      // Zoomed out, the edges are one drawing (edge-sketch.tsx) that says how many it draws.
      const sketched = Number(document.querySelector("[data-testid='edge-sketch']")?.getAttribute("data-edges") ?? 0);
      return { ms: w.__lastNodeChange, nodes: w.__nodes, edges: document.querySelectorAll(".react-flow__edge").length + sketched };
    });
    console.log(`First render: ${firstRender.ms.toFixed(0)} ms (navigation → ${firstRender.nodes} nodes and ${firstRender.edges} edges drawn)`);

    // Trying a change without a rebuild: PATCHBAY_BENCH_CSS is added to the page before measuring.
    if (process.env.PATCHBAY_BENCH_CSS) await page.addStyleTag({ content: process.env.PATCHBAY_BENCH_CSS });
    // PATCHBAY_BENCH_LAYERS=N also lists the first N layers.
    console.log(`Composited layers: ${await compositedLayers(page, Number(process.env.PATCHBAY_BENCH_LAYERS ?? 0))}`);
    // Zoomed out (the first view, zoom 0.2: the nodes sketched), then at zoom 1 (nodes and edges drawn by React Flow).
    const hand = await Hand.of(page);
    const pan = await measure(page, "pan, zoom 0.2", () => panCanvas(page, hand));
    // PATCHBAY_BENCH_ONLY=pan stops after this pan, =zoom-drag after the zoomed-out drag; the baseline is measured all the same.
    const only = process.env.PATCHBAY_BENCH_ONLY;
    let zoom: FrameStats | undefined;
    let drag: FrameStats | undefined;
    let panNear: FrameStats | undefined;
    let dragNear: FrameStats | undefined;
    if (only !== "pan") {
      zoom = await measure(page, "zoom 0.2 ⇄ 2", async () => {
        // In to the largest zoom and back out to the smallest.
        await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 3);
        const steps = SECONDS * 30;
        for (let i = 0; i < steps; i++) {
          await page.mouse.wheel(0, i < steps / 2 ? -60 : 60);
          await page.waitForTimeout(1000 / 30);
        }
      });
      drag = await dragNode(page, hand, "zoom 0.2");
    }
    if (only !== "pan" && only !== "zoom-drag") {
      await zoomToOne(page);
      panNear = await measure(page, "pan, zoom 1", () => panCanvas(page, hand));
      dragNear = await dragNode(page, hand, "zoom 1");
    }
    const floor = await measureBaseline(page, hand, server.url, { id: small.id, nodes: baselineNodes.length });
    await context.close();

    const chromiumVersion = context.browser()?.version() ?? "(persistent context)";
    const phases = [
      ["pan, zoom 0.2", pan, floor.pan],
      ["drag, zoom 0.2", drag, floor.drag],
      ["pan, zoom 1", panNear, floor.pan],
      ["drag, zoom 1", dragNear, floor.drag],
    ] as const;
    const ratios = phases.flatMap(([label, stats, base]) => (stats ? [`${label} ${(stats.workP95 / base.workP95).toFixed(1)}×`] : []));
    const lines = [
      "",
      `Machine: ${cpus().length} cores (${cpus()[0]?.model ?? "unknown CPU"}), load average ${loadavg().map((l) => l.toFixed(1)).join(" / ")}, headless Chromium ${chromiumVersion} without GPU, viewport ${VIEWPORT.width}×${VIEWPORT.height}`,
      `p95 over the baseline's (${baselineNodes.length} nodes, zoom 1; pan p95 ${floor.pan.workP95.toFixed(1)} ms, drag p95 ${floor.drag.workP95.toFixed(1)} ms): ${ratios.join(", ")}`,
    ];
    if (zoom && drag && panNear && dragNear) {
      lines.push(
        `Targets: first render ≤ 1500 ms (${met(firstRender.ms <= 1500)}); p95 frame ≤ 16 ms for pan (${met(pan.workP95 <= 16 && panNear.workP95 <= 16)}), zoom (${met(zoom.workP95 <= 16)}) and drag (${met(drag.workP95 <= 16 && dragNear.workP95 <= 16)}) — main-thread work per frame, at zoom 0.2 and 1`,
      );
    }
    console.log(lines.join("\n"));
  } finally {
    await server.stop();
    rmSync(profile, { recursive: true, force: true });
  }
}

await main();
