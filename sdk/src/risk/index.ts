/**
 * `@parapet/sdk/risk`: an actuarial risk model for cover against smart-contract failure. Pure TypeScript (no ethers,
 * no Node, no DOM): failure probability from calibrated incident frequencies and a protocol's risk facts, severity
 * fitted to real exploit losses, and the rate curve that prices them. See docs/risk-model.md.
 *
 * @packageDocumentation
 */
// The errors the model throws, so that this entry alone can catch them.
export { InvalidArgument, ParapetError } from "../core/errors.js";
export * from "./assessRisk.js";
export * from "./backtest.js";
export * from "./calibration.js";
export * from "./csv.js";
export * from "./defaultCalibration.js";
export * from "./failureModel.js";
export * from "./frequency.js";
export * from "./frequencyFactors.js";
export * from "./incidents.js";
export * from "./lognormal.js";
export * from "./nelderMead.js";
export * from "./outsideFigures.js";
export * from "./paretoTail.js";
export * from "./pricing.js";
export * from "./profile.js";
export * from "./severityModel.js";
export * from "./severityShare.js";
export * from "./specialFunctions.js";
