/**
 * Figures the incident data cannot supply, each an **outside figure**: stated with its source and not fitted.
 *
 * The incident list counts exploits but not the protocols that were never exploited, so a rate per protocol needs a
 * denominator from elsewhere. These are the only outside figures in the frequency; docs/risk-model.md lists them too.
 *
 * @packageDocumentation
 */

/**
 * Live DeFi protocols per chain. OUTSIDE FIGURE: DefiLlama's chain list (defillama.com/chains, the "Protocols" column),
 * as of late 2024, rounded to the nearest 50; the code does not fetch it, so refresh it here when it drifts. A protocol
 * deployed on several chains counts on each. Chains not listed use the pooled rate of the listed ones.
 *
 * Caveat kept in the docs: the incident list includes many small BSC token contracts that DefiLlama does not track,
 * so the BSC rate per DefiLlama-listed protocol is biased upwards.
 */
export const LIVE_PROTOCOLS_BY_CHAIN: Readonly<Record<string, number>> = {
  ethereum: 1300,
  bsc: 850,
  arbitrum: 750,
  polygon: 650,
  base: 550,
  avalanche: 450,
  optimism: 400,
  fantom: 300,
};

/**
 * Typical TVL of a protocol in the incident list, the scale at which its dollar losses are read (see
 * `severityShare.ts`). OUTSIDE FIGURE, an order of magnitude rather than a measurement: the data has no TVL column,
 * and most listed incidents hit small protocols (the median loss is about $100k-$200k); DefiLlama's protocol list has
 * a median TVL of a few million dollars. $5M is that order of magnitude.
 */
export const REFERENCE_TVL_USD = 5_000_000;
