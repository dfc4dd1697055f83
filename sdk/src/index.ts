/**
 * Parapet SDK: the pure core (bigint twins of the contracts' math, routing, entities, typed contract errors) and the
 * ethers v6 chain client. Browser-safe: Node-only helpers are in `./client/node.js`, not exported here.
 *
 * @packageDocumentation
 */
export * from "./core/index.js";
export * from "./client/index.js";
