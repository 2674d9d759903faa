import { describe, expect, it } from "vitest";
import { formatCell, nextPageToFetch, nextSort, pagesForRows, pagesToEvict } from "./grid-pages.ts";

describe("data grid pages", () => {
  it("maps a row range onto pages", () => {
    expect(pagesForRows(0, 99, 100)).toEqual([0]);
    expect(pagesForRows(95, 205, 100)).toEqual([0, 1, 2]);
    expect(pagesForRows(5, 2, 100)).toEqual([]);
  });

  it("fetches the missing page nearest the middle of the view first", () => {
    expect(nextPageToFetch([4, 5, 6], new Set([5]), new Set())).toBe(4);
    expect(nextPageToFetch([4, 5, 6], new Set([5]), new Set([4]))).toBe(6);
    expect(nextPageToFetch([4, 5, 6], new Set([4, 5, 6]), new Set())).toBeNull();
  });

  it("forgets the pages farthest from the view", () => {
    expect(pagesToEvict([0, 1, 2, 50, 51], [50], 3)).toEqual([0, 1]);
    expect(pagesToEvict([0, 1], [0], 3)).toEqual([]);
  });

  it("cycles a column's sort: ascending, descending, off", () => {
    expect(nextSort(null, "a")).toEqual({ column: "a", descending: false });
    expect(nextSort({ column: "a", descending: false }, "a")).toEqual({ column: "a", descending: true });
    expect(nextSort({ column: "a", descending: true }, "a")).toBeNull();
    expect(nextSort({ column: "a", descending: true }, "b")).toEqual({ column: "b", descending: false });
  });

  it("formats cells", () => {
    expect(formatCell(null)).toBe("");
    expect(formatCell({ a: 1 })).toBe('{"a":1}');
    expect(formatCell(3)).toBe("3");
  });
});
