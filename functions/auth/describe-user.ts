import { AppError } from "../../shared/errors.ts";
import type { AuthDeps } from "./internal.ts";
import { findUserById, groupsOf } from "./repository.ts";
import { type ProfileView, toUserView } from "./view.ts";

/**
 * The caller's profile, read from the database rather than from the token, so a change of groups shows
 * here at once (the token itself catches up at the next refresh).
 */
export async function describeUser(deps: Pick<AuthDeps, "db">, userId: number): Promise<ProfileView> {
  const user = await findUserById(deps.db, userId);
  if (!user) throw new AppError("unauthenticated", "The user of this token no longer exists.");
  return { ...toUserView(user), groups: await groupsOf(deps.db, user.id) };
}
