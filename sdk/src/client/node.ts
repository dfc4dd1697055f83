/**
 * Node-only helpers of the Parapet client (file system). Not exported from the browser entry `sdk/src/index.ts`:
 * import them from `sdk/src/client/node.js`.
 *
 * @packageDocumentation
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

import { loadDeployment, type ParapetDeployment } from "./deployment.js";

/**
 * Reads and validates a deployment JSON file.
 *
 * @throws {@link InvalidDeployment} if the file does not describe a deployment.
 */
export async function readDeploymentFile(path: string): Promise<ParapetDeployment> {
  return loadDeployment(await readFile(path, "utf8"));
}

/** Writes a deployment as JSON (validated first), creating the directory if needed. */
export async function writeDeploymentFile(path: string, deployment: ParapetDeployment): Promise<void> {
  const valid = loadDeployment(deployment);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(valid, null, 2)}\n`);
}
