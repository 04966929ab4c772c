import type { GroupName } from "../../shared/db/types.ts";
import type { UserRecord } from "./repository.ts";

/** A user as the API shows one: registration's answer and each member of a group. */
export interface UserView {
  id: number;
  username: string;
  /** null when the user gave none. */
  email: string | null;
}

/** `/api/users/me`: the user and the groups they are in now, by Tavola's role names. */
export interface ProfileView extends UserView {
  groups: GroupName[];
}

export function toUserView(user: UserRecord): UserView {
  return { id: user.id, username: user.username, email: user.email };
}
