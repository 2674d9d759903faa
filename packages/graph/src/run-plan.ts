import { z } from "zod";
import { GraphError, isStoreKind, type GraphDocument } from "./document.ts";
import { resolveAllPorts } from "./bindings.ts";
import { downstreamEdges, executionOrder } from "./execution-order.ts";

/**
 * "all": every planned node runs (manual runs of a node + downstream, or of
 * the whole graph). "reactive": a planned node runs only when an upstream
 * node of the wave committed new data to a store it reads (schedules,
 * webhooks, upstream data changes).
 */
export type PlanMode = "all" | "reactive";
export type StepState = "pending" | "queued" | "succeeded" | "failed" | "skipped" | "cancelled";

export interface PlanStep {
  nodeId: string;
  /** Planned nodes that must finish first. */
  after: string[];
  /** Names of the stores this node reads. */
  reads: string[];
  state: StepState;
  /** Why it was skipped or cancelled. */
  reason?: string;
}

/** A wave: each node at most once, in dependency order. */
export interface RunPlan {
  mode: PlanMode;
  /** Nodes that run whatever the mode (where the wave started). */
  start: string[];
  steps: PlanStep[];
}

const TERMINAL: readonly StepState[] = ["succeeded", "failed", "skipped", "cancelled"];

const runPlanSchema = z.object({
  mode: z.enum(["all", "reactive"]),
  start: z.array(z.string()),
  steps: z.array(
    z.object({
      nodeId: z.string(),
      after: z.array(z.string()),
      reads: z.array(z.string()),
      state: z.enum(["pending", "queued", "succeeded", "failed", "skipped", "cancelled"]),
      reason: z.string().optional(),
    }),
  ),
});

/** Reads a stored plan back. */
export function parseRunPlan(value: unknown): RunPlan {
  const parsed = runPlanSchema.safeParse(value);
  if (!parsed.success) throw new GraphError("bad_plan", `A run plan could not be read: ${parsed.error.issues[0]?.message ?? "invalid"}`);
  const plan: RunPlan = { mode: parsed.data.mode, start: parsed.data.start, steps: parsed.data.steps.map(({ reason, ...step }) => (reason === undefined ? step : { ...step, reason })) };
  return plan;
}

/** Plans a wave from `start` (null: the whole graph), optionally with everything downstream. */
export function createRunPlan(doc: GraphDocument, start: string | readonly string[] | null, includeDownstream: boolean, mode: PlanMode): RunPlan {
  // Ports are resolved once: every step below reads them.
  const ports = resolveAllPorts(doc);
  const edges = downstreamEdges(doc, ports);
  const order = executionOrder(doc, start, includeDownstream, edges);
  const planned = new Set(order);
  const storeNames = new Map(doc.nodes.filter((n) => isStoreKind(n.kind)).map((n) => [n.id, n.title]));
  const inputsOf = new Map<string, string[]>();
  for (const port of ports) if (port.direction === "input" && port.storeId) inputsOf.set(port.nodeId, [...(inputsOf.get(port.nodeId) ?? []), port.storeId]);
  // Each step's planned upstream nodes, listed in plan order.
  const upstream = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const from of order) for (const to of edges.get(from) ?? []) if (to !== from && planned.has(to)) upstream.get(to)?.push(from);
  const steps = order.map((nodeId) => ({
    nodeId,
    after: upstream.get(nodeId) ?? [],
    reads: [...new Set((inputsOf.get(nodeId) ?? []).map((storeId) => storeNames.get(storeId) ?? ""))].filter(Boolean),
    state: "pending" as StepState,
  }));
  return { mode, start: start === null ? order : typeof start === "string" ? [start] : [...start], steps };
}

/** Steps whose upstream is done: they run, or are skipped or cancelled, now. */
export function nextSteps(plan: RunPlan, written: ReadonlyMap<string, readonly string[]>): { plan: RunPlan; ready: string[] } {
  const states = new Map(plan.steps.map((s) => [s.nodeId, s]));
  const ready: string[] = [];
  // One pass in plan order suffices: a step's upstream steps come before it.
  const steps = plan.steps.map((step) => ({ ...step }));
  for (const step of steps) {
    states.set(step.nodeId, step);
    if (step.state !== "pending") continue;
    const upstream = step.after.map((id) => states.get(id));
    if (upstream.some((s) => !s || !TERMINAL.includes(s.state))) continue;
    const failed = upstream.find((s) => s?.state === "failed" || s?.state === "cancelled");
    if (failed) {
      step.state = "cancelled";
      step.reason = `upstream node ${failed.nodeId} did not succeed`;
      continue;
    }
    const fed = step.after.some((id) => (written.get(id) ?? []).some((store) => step.reads.includes(store)));
    if (plan.mode === "reactive" && !plan.start.includes(step.nodeId) && !fed) {
      step.state = "skipped";
      step.reason = "no new data in its inputs";
      continue;
    }
    step.state = "queued";
    ready.push(step.nodeId);
  }
  return { plan: { ...plan, steps }, ready };
}

/** Records the end of a step. */
export function finishStep(plan: RunPlan, nodeId: string, state: "succeeded" | "failed" | "cancelled"): RunPlan {
  return { ...plan, steps: plan.steps.map((s) => (s.nodeId === nodeId ? { ...s, state } : s)) };
}

export function isPlanFinished(plan: RunPlan): boolean {
  return plan.steps.every((s) => TERMINAL.includes(s.state));
}
