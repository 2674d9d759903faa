import { monotonicFactory } from "ulidx";

const nextUlid = monotonicFactory();

/** A new ULID, strictly greater than every other one made by this process. */
export function newId(): string {
  return nextUlid();
}

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** The ULID right after `id` (id + 1 in base 32). */
function incrementUlid(id: string): string {
  const chars = id.split("");
  for (let i = chars.length - 1; i >= 0; i--) {
    const index = CROCKFORD.indexOf(chars[i] as string);
    if (index < CROCKFORD.length - 1) {
      chars[i] = CROCKFORD[index + 1] as string;
      return chars.join("");
    }
    chars[i] = "0";
  }
  throw new Error("ULID overflow");
}

/**
 * `count` new ULIDs, increasing, and all greater than `after` (the largest id
 * already in a store). Together with the store lock held by the committing
 * transaction this makes patterns_id increase in commit order, which stream
 * cursors rely on.
 */
export function idsAfter(after: string | null, count: number): string[] {
  const ids: string[] = [];
  let previous = after;
  for (let i = 0; i < count; i++) {
    let id = nextUlid();
    if (previous !== null && id <= previous) id = incrementUlid(previous);
    ids.push(id);
    previous = id;
  }
  return ids;
}
