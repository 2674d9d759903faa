import { describe, expect, it } from "vitest";
import { runScopeForKey } from "./run-actions.ts";

const key = (mods: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }>, k = "Enter") => ({ key: k, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...mods });

describe("run shortcuts", () => {
  // Not on a Mac here: Mod is Ctrl, and ⌘ is not part of any shortcut.
  it("maps Shift+Enter, Ctrl+Shift+Enter and Ctrl+Alt+Shift+Enter to the three scopes", () => {
    expect(runScopeForKey(key({ shiftKey: true }))).toBe("node");
    expect(runScopeForKey(key({ shiftKey: true, ctrlKey: true }))).toBe("downstream");
    expect(runScopeForKey(key({ shiftKey: true, ctrlKey: true, altKey: true }))).toBe("graph");
    expect(runScopeForKey(key({ shiftKey: true, metaKey: true }))).toBeNull();
  });
  it("ignores other keys", () => {
    expect(runScopeForKey(key({}))).toBeNull();
    expect(runScopeForKey(key({ shiftKey: true }, "a"))).toBeNull();
    expect(runScopeForKey(key({ shiftKey: true, altKey: true }))).toBeNull();
  });
});
