/** The `--tranche` option of the tranche tasks, and the tranches over a vault as the tasks find them. */
import type { TrancheHandles, TrancheName } from "../../../sdk/src/index.js";
import { TaskError } from "./cli.js";
import type { Parapet, VaultRef } from "./parapet.js";

/** `junior` or `senior` (any case). */
export function parseTranche(text: string | undefined): TrancheName {
  const value = text?.trim().toLowerCase();
  if (value === "junior" || value === "senior") return value;
  throw new TaskError(`--tranche must be junior (first loss, larger premium share) or senior (protected), got "${text ?? ""}"`);
}

/** The tranches over `vault`, or a clear error naming the vaults that have some. */
export async function tranchesOf(parapet: Parapet, vault: VaultRef): Promise<TrancheHandles> {
  return parapet.read(`find the tranches over the ${vault.name} vault`, () => parapet.client.trancheContracts(vault.address));
}
