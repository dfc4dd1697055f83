import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * Production step 1 of 2: an OpenZeppelin `TimelockController(minDelay, proposers, executors, admin = address(0))`
 * to hold Parapet's AccessManager ADMIN. With no admin the timelock governs itself (changing its own delay or
 * proposers must go through it). Parameters (module "ParapetTimelock"): `minDelay` (seconds,
 * default 2 days), `proposers` (e.g. the governance multisig; they also get the canceller role), `executors`
 * (required; `["0x0000000000000000000000000000000000000000"]` lets anyone execute a ready operation).
 *
 * Step 2: deploy `ParapetTimelockedModule` (deploy/ignition/Parapet.ts) with `Parapet.timelockAdmin` set to the
 * address this module printed, e.g.
 *   npx hardhat ignition deploy deploy/ignition/ParapetTimelock.ts --network <net> \
 *     --parameters deploy/parameters/production.json
 *   (copy the TimelockController address into production.json's Parapet.timelockAdmin)
 *   npx hardhat ignition deploy deploy/ignition/ParapetTimelocked.ts --network <net> \
 *     --parameters deploy/parameters/production.json
 * The timelock then proposes AccessManager admin operations (`accessManager.schedule`/`execute` when ADMIN has an
 * execution delay, or direct calls when `adminDelay` is 0 and the timelock's own `minDelay` is the only delay).
 */
export const ParapetTimelockModule = buildModule("ParapetTimelock", (m) => {
  const minDelay = m.getParameter<number>("minDelay", 2 * 86_400);
  const proposers = m.getParameter<string[]>("proposers");
  const executors = m.getParameter<string[]>("executors");
  const timelock = m.contract("TimelockController", [
    minDelay,
    proposers,
    executors,
    "0x0000000000000000000000000000000000000000",
  ]);
  return { timelock };
});

export default ParapetTimelockModule;
