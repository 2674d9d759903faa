import { createContext, useContext } from "react";
import type { AuthStatus, Role } from "../api/client.ts";

export interface SignedIn {
  user: NonNullable<AuthStatus["user"]>;
  workspaces: AuthStatus["workspaces"];
  /** The workspace the app works in, with the user's role there. */
  workspace: { id: string; name: string; role: Role };
  /** Asks the server again who is signed in (after signing out, switching workspace…). */
  refresh(): void;
}

export const AuthContext = createContext<SignedIn | null>(null);

/** The signed-in user; only used below AuthGate, which renders nothing else for visitors. */
export function useSignedIn(): SignedIn {
  const value = useContext(AuthContext);
  if (!value) throw new Error("useSignedIn is used outside AuthGate");
  return value;
}
