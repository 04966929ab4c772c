// `npm run generate`: writes what is generated from the code and checked in: the gateway's OpenAPI
// document (served by the cluster's gateway from a ConfigMap), the event catalogue page and the typed
// client's schema. `generated.test.ts` fails when a checked-in file differs from what this writes.

import { writeFile } from "node:fs/promises";
import { generatedFiles } from "./generated-files.ts";

for (const file of await generatedFiles()) {
  await writeFile(file.path, file.text);
  process.stdout.write(`wrote ${file.path}\n`);
}
