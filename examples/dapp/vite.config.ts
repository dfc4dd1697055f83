/**
 * The example dApp's Vite configuration (`npm run dapp`, `npm run dapp:build`).
 *
 * - `@parapet/sdk` resolves to the repository's SDK sources (`sdk/src`), not to a built package: the example always
 *   runs the SDK of its commit, with no `npm run build:sdk` step. An app outside the repository installs the package
 *   instead and drops the alias; the imports stay the same.
 * - The deployment comes from `PARAPET_DEPLOYMENT` (a file `npm run chain` writes; default `deployments/31337.json` at
 *   the repository root) and is compiled in as the module `virtual:parapet-deployment`.
 * - `VITE_PARAPET_INDEXER_URL` (optional) points "my policies" at the indexer (see src/config.ts).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { defineConfig, type Plugin } from "vite";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "../..");
const DEPLOYMENT_MODULE = "virtual:parapet-deployment";

/** Serves the deployment file as a JSON module; a missing file fails the build with what to do. */
function deploymentModule(file: string): Plugin {
  return {
    name: "parapet-deployment",
    resolveId: (id) => (id === DEPLOYMENT_MODULE ? `\0${DEPLOYMENT_MODULE}` : undefined),
    load(id) {
      if (id !== `\0${DEPLOYMENT_MODULE}`) return undefined;
      if (!existsSync(file)) {
        throw new Error(`no deployment file at ${file}: start \`npm run chain\` first, or set PARAPET_DEPLOYMENT to one`);
      }
      this.addWatchFile(file);
      return `export default ${JSON.stringify(JSON.parse(readFileSync(file, "utf8")))};`;
    },
  };
}

export default defineConfig({
  root: HERE,
  // Relative asset URLs: the built app works from any path (a gateway, a sub-folder).
  base: "./",
  plugins: [deploymentModule(path.resolve(ROOT, process.env.PARAPET_DEPLOYMENT ?? "deployments/31337.json"))],
  resolve: {
    alias: [
      { find: /^@parapet\/sdk$/, replacement: path.join(ROOT, "sdk/src/index.ts") },
      { find: /^@parapet\/sdk\/risk$/, replacement: path.join(ROOT, "sdk/src/risk/index.ts") },
    ],
  },
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: { fs: { allow: [ROOT] } },
});
