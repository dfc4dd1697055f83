/**
 * Incident frequencies from the incident list: incidents per year overall, by chain and by attack type, over the
 * last calendar years of the data, and the per-protocol rate on a chain once an outside denominator is applied.
 *
 * @packageDocumentation
 */
import { InvalidArgument } from "../core/errors.js";
import type { Incident } from "./incidents.js";
import { LIVE_PROTOCOLS_BY_CHAIN } from "./outsideFigures.js";

/**
 * Calendar years the frequency is averaged over, ending with the data's last year. The list grows year by year
 * (9 incidents in 2020, 37 in 2021, 129 in 2022, 214 in 2023): the source covers recent years more completely, so
 * older years under-count and a long average would under-predict. Two years still smooths one odd year.
 */
export const FREQUENCY_WINDOW_YEARS = 2;

/** Incidents per year, averaged over a window of calendar years. */
export type FrequencyFit = {
  /** First and last calendar year of the window (inclusive). */
  fromYear: number;
  toYear: number;
  /** All incidents in the window, per year. */
  perYear: number;
  /** Per year, by the `chain` column (`""`: no chain in the data). */
  perYearByChain: Record<string, number>;
  /** Per year, by the `attack_type` column. */
  perYearByAttackType: Record<string, number>;
};

/** Number of calendar years from the first to the last incident's year, both included. */
export function calendarYearsSpanned(incidents: readonly Incident[]): { fromYear: number; toYear: number; years: number } {
  if (incidents.length === 0) throw new InvalidArgument("incidents", "is empty");
  const years = incidents.map((incident) => incident.year);
  const fromYear = Math.min(...years);
  const toYear = Math.max(...years);
  return { fromYear, toYear, years: toYear - fromYear + 1 };
}

/**
 * Counts the incidents of the last `windowYears` calendar years of the data, per year.
 *
 * @param incidents - The training incidents.
 * @param windowYears - Calendar years to average over (default {@link FREQUENCY_WINDOW_YEARS}).
 */
export function fitFrequency(incidents: readonly Incident[], windowYears = FREQUENCY_WINDOW_YEARS): FrequencyFit {
  const { toYear } = calendarYearsSpanned(incidents);
  const fromYear = toYear - windowYears + 1;
  const inWindow = incidents.filter((incident) => incident.year >= fromYear);
  const perYearBy = (key: (incident: Incident) => string) => {
    const counts: Record<string, number> = {};
    for (const incident of inWindow) counts[key(incident)] = (counts[key(incident)] ?? 0) + 1 / windowYears;
    return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => a.localeCompare(b)));
  };
  return {
    fromYear,
    toYear,
    perYear: inWindow.length / windowYears,
    perYearByChain: perYearBy((incident) => incident.chain),
    perYearByAttackType: perYearBy((incident) => incident.attackType),
  };
}

/** A chain's annual incident rate per live protocol, and how it was found. */
export type ChainRate = {
  /** Expected incidents per protocol per year on the chain. */
  rate: number;
  /** Incidents per year counted for the chain (after spreading the chainless ones), or for all listed chains. */
  incidentsPerYear: number;
  /** The outside denominator used. */
  liveProtocols: number;
  /** Whether the chain's own count was used, or the pooled rate of the chains with a denominator. */
  pooled: boolean;
};

/**
 * `rate = incidents per year on the chain / live protocols on the chain`.
 *
 * Incidents with no chain in the data are spread over the chains in proportion to their counts (each chain's count is
 * scaled by `all / with a chain`). A chain without an outside denominator in {@link LIVE_PROTOCOLS_BY_CHAIN}, or with
 * no incident in the window, gets the pooled rate of the chains that have one.
 */
export function chainRate(frequency: FrequencyFit, chain: string): ChainRate {
  const withChain = Object.entries(frequency.perYearByChain)
    .filter(([name]) => name !== "")
    .reduce((sum, [, perYear]) => sum + perYear, 0);
  const spread = withChain === 0 ? 0 : frequency.perYear / withChain;
  const own = frequency.perYearByChain[chain] ?? 0;
  const liveProtocols = LIVE_PROTOCOLS_BY_CHAIN[chain];
  if (liveProtocols !== undefined && own > 0) {
    return { rate: (own * spread) / liveProtocols, incidentsPerYear: own * spread, liveProtocols, pooled: false };
  }
  const listed = Object.entries(LIVE_PROTOCOLS_BY_CHAIN);
  const pooledIncidents = listed.reduce((sum, [name]) => sum + (frequency.perYearByChain[name] ?? 0), 0) * spread;
  const pooledProtocols = listed.reduce((sum, [, count]) => sum + count, 0);
  return { rate: pooledIncidents / pooledProtocols, incidentsPerYear: pooledIncidents, liveProtocols: pooledProtocols, pooled: true };
}
