/**
 * Parapet SDK: quote and verify coverage off chain with results identical to the contracts'.
 *
 * @packageDocumentation
 */
export * from "./core/index.js";
