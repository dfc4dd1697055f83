/**
 * The risk model's rate for a product, for `vault:status` and `cover:quote` to show beside the curves: read from the
 * product's profile `deploy/risk-profiles/<slug>.json` (the slug is the last segment of its metadata URI), if one exists.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { assessRisk, fractionToWadBps, ParapetError } from "../../../sdk/src/risk/index.js";
import { formatWadPercent } from "../../lib/format.js";
import { TaskError } from "./cli.js";

const PROFILES_DIR = fileURLToPath(new URL("../../../deploy/risk-profiles/", import.meta.url));

export interface ModelRate {
  /** The model rate, whole basis points rounded up, WAD a year. */
  rateWad: bigint;
  /** The profile file, relative to the repository. */
  file: string;
}

/**
 * The model rate of a product, or `undefined` if it has no profile. Assessed as of today (UTC).
 *
 * @throws {@link TaskError} if the profile exists but is not valid.
 */
export function modelRateOf(slug: string): ModelRate | undefined {
  const file = path.join(PROFILES_DIR, `${slug}.json`);
  if (!existsSync(file)) return undefined;
  const relative = path.relative(fileURLToPath(new URL("../../../", import.meta.url)), file);
  try {
    const assessment = assessRisk(JSON.parse(readFileSync(file, "utf8")));
    return { rateWad: fractionToWadBps(assessment.rate.modelRate, true), file: relative };
  } catch (error) {
    if (error instanceof ParapetError || error instanceof SyntaxError) throw new TaskError(`risk profile ${relative}: ${error.message}`);
    throw error;
  }
}

/** `model rate 0.42% a year (deploy/risk-profiles/lendora-v3.json)`: the line both tasks print. */
export function formatModelRate(model: ModelRate): string {
  return `${formatWadPercent(model.rateWad)} a year (risk model, ${model.file})`;
}
