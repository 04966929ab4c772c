import { z } from "zod";
import { normalizeUsername } from "../../shared/auth/username.ts";
import { hasControlCharacters, id, text } from "../../shared/http/fields.ts";

// The auth function's API shapes: what its routes accept and what they answer (the verbs' types are these).

// Django's username rule: letters, digits and @ . + - _ (no spaces or control characters), 150 at most.
export const registration = z.object({
  username: z
    .string()
    .transform(normalizeUsername)
    .pipe(
      z
        .string()
        .trim()
        .min(1, "must not be empty")
        .max(150, "must be at most 150 characters")
        .regex(/^[\p{L}\p{N}_.@+-]+$/u, "may contain only letters, digits and @ . + - _"),
    ),
  password: z.string().min(8, "must be at least 8 characters").max(256, "must be at most 256 characters"),
  // Forms send an empty field for "no email".
  email: z
    .union([z.literal(""), z.email("must be a valid email address").max(254)])
    .nullish()
    .transform((v) => (v ? v : null)),
});

// Credentials are checked, not stored: no trimming (a password may end in a space) and no rules on the
// password beyond a length that bounds the work. The username reaches SQL, so no control characters.
export const credentials = z.object({
  username: z
    .string()
    .min(1, "must not be empty")
    .max(150, "must be at most 150 characters")
    .refine((v) => !hasControlCharacters(v), "must not contain control characters"),
  password: z.string().min(1, "must not be empty").max(256, "must be at most 256 characters"),
});

export const refreshBody = z.object({
  refresh: z.string().min(1, "must not be empty").max(512, "must be at most 512 characters"),
});

/** A member to add to a group: by id or by username. */
export const memberBody = z
  .object({
    user_id: id.optional(),
    username: text(150).optional(),
  })
  .refine((b) => b.user_id !== undefined || b.username !== undefined, {
    message: "give the user's username or user_id",
    path: ["username"],
  });

export const tokenPairSchema = z
  .object({
    access: z.string(),
    refresh: z.string(),
    token_type: z.literal("Bearer"),
    expires_in: z.number().int().meta({ description: "seconds until the access token expires" }),
  })
  .meta({ id: "TokenPair" });

/** djoser's `/token/login` answer: an access token. */
export const authTokenSchema = z.object({ auth_token: z.string() }).meta({ id: "AuthToken" });

/** DRF's `api-token-auth/` answer: an access token. */
export const drfTokenSchema = z.object({ token: z.string() }).meta({ id: "DrfToken" });

export const userSchema = z
  .object({ id: z.number().int(), username: z.string(), email: z.string().nullable() })
  .meta({ id: "User" });

export const profileSchema = userSchema
  .extend({ groups: z.array(z.enum(["manager", "delivery-crew"])) })
  .meta({ id: "Profile" });

export const jwksSchema = z
  .object({ keys: z.array(z.looseObject({ kty: z.string() })) })
  .meta({ id: "JsonWebKeySet" });
