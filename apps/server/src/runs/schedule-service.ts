import { isFunctionKind, type GraphDocument } from "@patchbay/graph";
import type { JobQueue, ScheduleJob } from "./job-queue.ts";
import type { RunService } from "./run-service.ts";

/**
 * Cron schedules of nodes (a node's `trigger`). pg-boss keeps them in the
 * database and creates one job per tick however many processes run, so a
 * schedule fires whether or not anyone has the page open.
 */
export class ScheduleService {
  private readonly deps: { queue: JobQueue; runs: RunService };

  constructor(deps: { queue: JobQueue; runs: RunService }) {
    this.deps = deps;
  }

  /**
   * Makes the queue's schedules match the graph's node triggers (after a
   * change that can touch them). `document` null: the graph is gone.
   */
  async sync(graphId: string, document: GraphDocument | null): Promise<void> {
    const { queue } = this.deps;
    const wanted = new Map(
      (document?.nodes ?? [])
        .filter((n) => isFunctionKind(n.kind) && n.trigger && n.trigger.trim() !== "")
        .map((n) => [n.id, (n.trigger ?? "").trim()]),
    );
    const existing = await queue.schedulesOf(graphId);
    for (const [nodeId, cron] of existing) {
      if (wanted.get(nodeId) !== cron) await queue.setSchedule(graphId, nodeId, null);
    }
    for (const [nodeId, cron] of wanted) {
      if (existing.get(nodeId) !== cron) await queue.setSchedule(graphId, nodeId, cron);
    }
  }

  /** One tick of a schedule: the node runs, then whatever its new data feeds. */
  async fire(job: ScheduleJob): Promise<void> {
    try {
      await this.deps.runs.start({ graphId: job.graphId, nodeId: job.nodeId, scope: "node", startedBy: "schedule", trigger: "schedule" });
    } catch (error) {
      console.error(`Schedule of node ${job.nodeId} in graph ${job.graphId} could not start a run: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
