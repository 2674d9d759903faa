import type { GraphChange } from "@patchbay/graph";

/** One undoable step: the changes made and the changes that take them back. */
export interface UndoEntry {
  changes: GraphChange[];
  inverse: GraphChange[];
  /** Steps with the same key made close together merge, e.g. a burst of typing in one node's code. */
  mergeKey?: string;
  at: number;
}

/** How long a pause ends a burst of typing, so the next keystroke starts a new undo step. */
export const MERGE_WINDOW_MS = 1000;
const MAX_ENTRIES = 200;

/** Two single updates of the same node's same fields: keep the first inverse and the last change. */
function sameFieldsUpdate(a: GraphChange[], b: GraphChange[]): boolean {
  const [x] = a;
  const [y] = b;
  if (a.length !== 1 || b.length !== 1 || x?.type !== "updateNode" || y?.type !== "updateNode" || x.id !== y.id) return false;
  const keys = (patch: object) => Object.keys(patch).sort().join(",");
  return keys(x.patch) === keys(y.patch);
}

/**
 * Undo and redo stacks of graph changes, tldraw-style: only what the caller records is
 * kept (selection, remote updates and the undo/redo replays themselves are not), and steps
 * with the same merge key made within MERGE_WINDOW_MS of each other become one.
 */
export class UndoHistory {
  private undoStack: UndoEntry[] = [];
  private redoStack: UndoEntry[] = [];

  record(entry: UndoEntry): void {
    this.redoStack = [];
    const last = this.undoStack[this.undoStack.length - 1];
    if (last && entry.mergeKey !== undefined && last.mergeKey === entry.mergeKey && entry.at - last.at <= MERGE_WINDOW_MS) {
      const merged = sameFieldsUpdate(last.changes, entry.changes)
        ? { changes: entry.changes, inverse: last.inverse }
        : { changes: [...last.changes, ...entry.changes], inverse: [...entry.inverse, ...last.inverse] };
      // Typing that ends where it began (a letter typed and taken back) is no step at all.
      if (sameFieldsUpdate(merged.changes, merged.inverse) && JSON.stringify(merged.changes) === JSON.stringify(merged.inverse)) {
        this.undoStack.pop();
        return;
      }
      this.undoStack[this.undoStack.length - 1] = { ...merged, mergeKey: entry.mergeKey, at: entry.at };
      return;
    }
    this.undoStack.push(entry);
    if (this.undoStack.length > MAX_ENTRIES) this.undoStack.shift();
  }

  /** Ends the current burst, so the next step never merges into the last one. */
  seal(): void {
    const last = this.undoStack[this.undoStack.length - 1];
    if (last?.mergeKey !== undefined) this.undoStack[this.undoStack.length - 1] = { changes: last.changes, inverse: last.inverse, at: last.at };
  }

  /** Takes the step to undo; the caller applies its inverse and hands it to `undone`. */
  popUndo(): UndoEntry | undefined {
    return this.undoStack.pop();
  }

  popRedo(): UndoEntry | undefined {
    return this.redoStack.pop();
  }

  /** An undone step, redoable until something new is recorded. */
  undone(entry: UndoEntry): void {
    this.redoStack.push({ changes: entry.changes, inverse: entry.inverse, at: entry.at });
  }

  /** A redone step, undoable again. */
  redone(entry: UndoEntry): void {
    this.undoStack.push({ changes: entry.changes, inverse: entry.inverse, at: entry.at });
  }

  clear(): void {
    this.undoStack = [];
    this.redoStack = [];
  }

  get canUndo(): boolean {
    return this.undoStack.length > 0;
  }

  get canRedo(): boolean {
    return this.redoStack.length > 0;
  }
}
