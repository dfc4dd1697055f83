import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

/**
 * A `PriceFeedTrigger` for one parametric product (module "DepegTrigger"), deployed once the product exists: the risk
 * manager then points the product at it with `ProductRegistry.setProductTrigger` (scheduled, like every risk-manager
 * call in production). Parameters, all required: `claimAdjudicator`, `productId`, `priceFeed` (a Chainlink proxy),
 * `feedDecimals` (the feed's, checked by the constructor), `threshold` (in feed units: fires below it),
 * `stalenessLimit` (seconds; above the feed's heartbeat), `payoutWad`, and on an L2 `sequencerUptimeFeed` with a
 * non-zero `sequencerGracePeriod` (on L1: the zero address and 0). The network files in `deploy/parameters/` hold them,
 * with where each feed address was confirmed; `npx hardhat parapet:deploy-trigger` checks them before deploying.
 */
export const DepegTriggerModule = buildModule("DepegTrigger", (m) => {
  const trigger = m.contract("PriceFeedTrigger", [
    m.getParameter<string>("claimAdjudicator"),
    m.getParameter<bigint>("productId"),
    m.getParameter<string>("priceFeed"),
    m.getParameter<number>("feedDecimals"),
    m.getParameter<bigint>("threshold"),
    m.getParameter<number>("stalenessLimit"),
    m.getParameter<bigint>("payoutWad"),
    m.getParameter<string>("sequencerUptimeFeed"),
    m.getParameter<number>("sequencerGracePeriod"),
  ]);
  return { trigger };
});

export default DepegTriggerModule;
