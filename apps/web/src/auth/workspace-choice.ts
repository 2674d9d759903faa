// The workspace the user works in, kept in a cookie rather than in memory:
// the server reads it on every call, including the live-event stream
// (EventSource cannot send headers). Only the user's own workspaces count.
const COOKIE = "patchbay_workspace";

export function chosenWorkspaceId(): string | null {
  for (const part of document.cookie.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === COOKIE) return decodeURIComponent(rest.join("=")) || null;
  }
  return null;
}

export function chooseWorkspace(id: string | null): void {
  document.cookie = id === null ? `${COOKIE}=; Path=/; Max-Age=0; SameSite=Lax` : `${COOKIE}=${encodeURIComponent(id)}; Path=/; Max-Age=31536000; SameSite=Lax`;
}
