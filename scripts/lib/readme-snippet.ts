/**
 * The README's dApp snippet (the first ```ts block of "### dApp developer"), as `test/sdk/readme.test.ts` and
 * `scripts/check-sdk-package.ts` run it against a local chain: as written, except the node's URL when the chain
 * listens on another port.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const README = fileURLToPath(new URL("../../README.md", import.meta.url));

/** The snippet's source. */
export function readmeSnippet(): string {
  const text = readFileSync(README, "utf8");
  const section = text.indexOf("### dApp developer");
  if (section === -1) throw new Error("README.md has no \"### dApp developer\" section");
  const match = /```ts\n([\s\S]*?)```/.exec(text.slice(section));
  if (match === null) throw new Error("the dApp developer section has no ```ts block");
  return match[1]!;
}

/** The snippet pointed at `url` instead of the default `http://127.0.0.1:8545`. */
export function snippetFor(url: string, sdkImport = "@parapet/sdk"): string {
  const source = readmeSnippet();
  if (!source.includes('"http://127.0.0.1:8545"')) throw new Error("the snippet no longer uses http://127.0.0.1:8545");
  return source.replace('"http://127.0.0.1:8545"', JSON.stringify(url)).replace('from "@parapet/sdk"', `from ${JSON.stringify(sdkImport)}`);
}
