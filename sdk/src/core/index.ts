/**
 * The SDK's pure core: bigint twins of the protocol's Solidity math, with no dependency on ethers or Node.
 *
 * @packageDocumentation
 */
export * from "./errors.js";
export * from "./mathLib.js";
export * from "./premiumMath.js";
