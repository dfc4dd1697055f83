import type { NetworkConnection } from "hardhat/types/network";

import { UmaLocalModule } from "./ignition/UmaLocal.js";
import { SEED_UMA } from "./seed.js";

/**
 * Deploys UMA's Optimistic Oracle V3 stack (deploy/ignition/UmaLocal.ts) with `currency` as its bond currency and
 * returns the Ignition futures' contracts; the oracle's address is the Parapet module's `optimisticOracleV3`.
 */
export async function deployUmaLocal(connection: NetworkConnection, currency: string, finalFee = SEED_UMA.finalFee) {
  return connection.ignition.deploy(UmaLocalModule, {
    parameters: { UmaLocal: { currency, finalFee } },
    displayUi: false,
  });
}
