import { z } from "zod";

// What the auth routes answer, as the OpenAPI document shows it (the verbs' types are these).

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
