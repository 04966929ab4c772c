import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { baseConfigSchema } from "../shared/config/schema.ts";
import { createDb } from "../shared/db/create-db.ts";
import { holdingPublisher } from "../shared/events/outbox/publisher.ts";
import { createLogger } from "../shared/log.ts";
import type { OpenApiDocument } from "../shared/openapi/generate.ts";
import { mergeDocuments } from "../shared/openapi/merge.ts";
import { functionDocument } from "../shared/openapi/serve.ts";
import { assembleFunction } from "../shared/runtime/assemble.ts";
import { senderVerifierFromConfig } from "../shared/runtime/sender-verifier.ts";
import { verifierFromConfig } from "../shared/runtime/verifier.ts";
import { FUNCTIONS } from "./registry.ts";

/**
 * The gateway's OpenAPI document, built from the five functions' apps exactly as they are assembled to
 * serve (the route tables are the source). The apps are built on a throwaway in-memory database and key
 * pair; building one runs no query.
 */
export async function buildApiDocument(): Promise<OpenApiDocument> {
  const dataDir = await mkdtemp(join(tmpdir(), "tavola-openapi-"));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: "silent" };
  const config = baseConfigSchema.parse(env);
  const db = createDb({ dataDir: "memory://" });
  try {
    const logger = createLogger("silent");
    const ctx = {
      env,
      config,
      db,
      logger,
      verify: await verifierFromConfig(config),
      publisher: holdingPublisher,
    };
    const documents: OpenApiDocument[] = [];
    for (const definition of FUNCTIONS) {
      // No issuer: a verifier that refuses every delivery; building the document sends none.
      const verifySender = senderVerifierFromConfig(config, definition.name, logger);
      documents.push(
        functionDocument(await assembleFunction(definition, { ...ctx, verifySender }), definition.name),
      );
    }
    return mergeDocuments(documents);
  } finally {
    await db.destroy();
    await rm(dataDir, { recursive: true, force: true });
  }
}
