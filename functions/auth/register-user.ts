import { hashPassword } from "../../shared/auth/password.ts";
import { sqlState } from "../../shared/db/errors.ts";
import { fieldError } from "../../shared/errors.ts";
import type { AuthDeps } from "./internal.ts";
import { findUserByUsername, insertUser } from "./repository.ts";
import { toUserView, type UserView } from "./view.ts";

export interface Registration {
  username: string;
  password: string;
  email: string | null;
}

/**
 * Registers a customer. Nothing else is taken from the request: groups and admin rights are granted only
 * by a manager or at seed time. A taken username (in any case) is a field error, also when a concurrent
 * registration of the same name wins the race to the unique index.
 */
export async function registerUser(
  deps: Pick<AuthDeps, "db" | "hashLimiter">,
  input: Registration,
): Promise<UserView> {
  if (input.password.toLowerCase() === input.username.toLowerCase())
    throw fieldError(
      "password",
      "must not be the same as the username",
      "The password is too similar to the username.",
    );
  // Checked first so that a taken name costs no hashing.
  if (await findUserByUsername(deps.db, input.username)) throw usernameTaken();
  const passwordHash = await hashPassword(input.password, deps.hashLimiter);
  try {
    const user = await insertUser(deps.db, { username: input.username, email: input.email, passwordHash });
    return toUserView(user);
  } catch (error) {
    if (sqlState(error) === "23505") throw usernameTaken();
    throw error;
  }
}

function usernameTaken() {
  return fieldError("username", "is already taken", "A user with that username already exists.");
}
