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
 * The first 16 characters (time and some randomness) of new patterns_ids,
 * greater than those of `after`, the largest id already in a store. A batch of
 * rows gets `prefix + zero-padded row number` (10 digits): valid, increasing
 * ULIDs, all greater than `after`. Together with the store lock held by the
 * committing transaction, patterns_ids rise in commit order, which stream
 * cursors rely on.
 */
export function idPrefixAfter(after: string | null): string {
  const candidate = nextUlid().slice(0, 16);
  if (after === null || candidate > after.slice(0, 16)) return candidate;
  return incrementUlid(after.slice(0, 16));
}
