import { useRef } from "react";

/**
 * Whether two lists hold the same objects in the same order. (zustand's `shallow` answers
 * this too, but builds a Map of each list to do it: too much for every frame of a drag.)
 */
export function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a === b || (a.length === b.length && a.every((item, i) => item === b[i]));
}

/**
 * `compute(items)`, worked out again only when the items change (compared one by one, by
 * identity). For drawings of many nodes or edges redrawn while some of them move: the rest
 * are one list whose result is kept.
 */
export function useSameListMemo<T, R>(items: readonly T[], compute: (items: readonly T[]) => R): R {
  const last = useRef<{ items: readonly T[]; result: R } | null>(null);
  if (!last.current || !sameItems(items, last.current.items)) last.current = { items, result: compute(items) };
  return last.current.result;
}

/** `items`, or the list given before while it holds the same items: a list to memoize on. */
export function useSameList<T>(items: readonly T[]): readonly T[] {
  return useSameListMemo(items, (same) => same);
}
