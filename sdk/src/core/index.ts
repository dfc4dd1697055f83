/**
 * The SDK's pure core: bigint twins of the protocol's Solidity math, the cover router, entity types, and typed
 * decoding of the contracts' errors, with no dependency on ethers, Node or the DOM.
 *
 * @packageDocumentation
 */
export * from "./abiDecode.js";
export * from "./amounts.js";
export * from "./coverChecks.js";
export * from "./contractErrors.js";
export * from "./entities.js";
export * from "./errorDecoder.js";
export * from "./errors.js";
export * from "./incidentBond.js";
export * from "./mathLib.js";
export * from "./premiumMath.js";
export * from "./router.js";
export * from "./sharesMath.js";
export * from "./trancheMath.js";
