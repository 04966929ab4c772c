import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Api, Profile } from "./api.ts";

export interface AppContext {
  api: Api;
  /** The signed-in user as GET /api/users/me answers (groups included); undefined when signed out. */
  me: Profile | undefined;
  navigate: (route: string) => void;
}

/** Provided once by <App>; pages read the API and the user from it instead of importing them. */
export const Context = createContext<AppContext | undefined>(undefined);

export function useApp(): AppContext {
  const value = useContext(Context);
  if (!value) throw new Error("useApp outside <App>");
  return value;
}
