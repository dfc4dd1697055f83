/**
 * `npm run risk -- <command>`: the risk model from the command line (see README "Risk model", docs/risk-model.md).
 *
 *   assess    --profile <file.json> [--as-of YYYY-MM-DD] [--min-rate <percent>] [--chart <file.svg>]
 *   backtest  --train <csv> --test <csv> [--chart <file.svg>]
 *   split     --csv <csv> --year <Y> --out <dir>      writes <dir>/train.csv (years <= Y) and <dir>/test.csv (> Y)
 *   calibrate [--csv <csv>]                            regenerates sdk/src/risk/defaultCalibration.ts
 *
 * Bad input gets one error line and exit code 1.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseUnits } from "ethers";

import { ParapetError } from "../sdk/src/core/index.js";
import {
  assessRisk,
  backtest,
  dollarLosses,
  fitCalibration,
  parseCsv,
  parseIncidents,
  severityCdf,
  type Incident,
  type RiskAssessment,
} from "../sdk/src/risk/index.js";
import { lineChart } from "./lib/svgChart.js";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SHIPPED_CSV = path.join(ROOT, "data/exploits/defihacklabs-incidents.csv");
const CALIBRATION_FILE = path.join(ROOT, "sdk/src/risk/defaultCalibration.ts");

/** A usage or input error: printed as one line, exit code 1. */
class UsageError extends Error {}

const USAGE =
  "usage: npm run risk -- assess --profile <file.json> [--as-of YYYY-MM-DD] [--min-rate <percent>] [--chart <file.svg>] | " +
  "backtest --train <csv> --test <csv> [--chart <file.svg>] | split --csv <csv> --year <Y> --out <dir> | calibrate [--csv <csv>]";

/** `--name value` pairs after the command; every option takes a value. */
function parseOptions(args: readonly string[], allowed: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let index = 0; index < args.length; index += 2) {
    const name = args[index]!;
    const value = args[index + 1];
    if (!name.startsWith("--") || !allowed.includes(name.slice(2))) {
      throw new UsageError(`unknown option "${name}" (allowed: ${allowed.map((option) => `--${option}`).join(", ")})`);
    }
    if (value === undefined || value.startsWith("--")) throw new UsageError(`${name} needs a value`);
    options.set(name.slice(2), value);
  }
  return options;
}

function required(options: Map<string, string>, name: string): string {
  const value = options.get(name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function readIncidents(file: string): Incident[] {
  const incidents = parseIncidents(readText(file, "incident CSV"));
  if (incidents.length === 0) throw new UsageError(`${file} holds no incidents`);
  return incidents;
}

const pct = (value: number, digits = 2) => `${(value * 100).toFixed(digits)}%`;
const wadPct = (wad: bigint) => `${(Number(wad) / 1e16).toFixed(2)}%`;
const usd = (value: number) => `$${Math.round(value).toLocaleString("en-US")}`;

function writeChart(file: string, svg: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, svg);
  console.log(`chart: ${file}`);
}

/** The recommended curve as a polyline: base to the kink, then linear to the max at full utilisation. */
function rateCurveChart(assessment: RiskAssessment): string {
  const { baseRateWad, kinkWad, maxRateWad } = assessment.terms;
  const [base, kink, max] = [baseRateWad, kinkWad, maxRateWad].map((wad) => Number(wad) / 1e18) as [number, number, number];
  const model = assessment.rate.modelRate;
  return lineChart({
    title: `Recommended rate curve: ${assessment.profile.name}`,
    xLabel: "utilisation of the vault's capacity for the product",
    yLabel: "annual rate",
    formatX: (value) => pct(value, 0),
    formatY: (value) => pct(value, 1),
    series: [
      { name: "recommended curve", color: "#1f77b4", points: [[0, base], [kink, base], [1, max]] },
      { name: `model rate ${pct(model, 2)}`, color: "#d62728", dashed: true, points: [[0, model], [1, model]] },
    ],
  });
}

function assess(args: readonly string[]): void {
  const options = parseOptions(args, ["profile", "as-of", "min-rate", "chart"]);
  const file = required(options, "profile");
  let profile: unknown;
  try {
    profile = JSON.parse(readText(file, "profile"));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const minRate = options.get("min-rate");
  if (minRate !== undefined && !/^\d+(\.\d+)?$/.test(minRate)) throw new UsageError(`--min-rate must be a percentage such as 2 or 2.5 (got "${minRate}")`);
  const assessment = assessRisk(profile, {
    asOf: options.get("as-of"),
    minRateWad: minRate === undefined ? undefined : parseUnits(minRate, 16),
  });
  const { failure, severity, rate, terms } = assessment;
  console.log(`Risk assessment of ${assessment.profile.name}, as of ${assessment.asOf}\n`);
  for (const line of assessment.explanation) console.log(`  ${line}`);
  console.log();
  console.log(`annual failure probability   ${pct(failure.probability)} (90% interval ${pct(failure.interval[0])} to ${pct(failure.interval[1])})`);
  console.log(
    `loss given failure           mean ${pct(severity.mean)}, median ${pct(severity.median)}, 90th pct ${pct(severity.p90)}, ` +
      `99th pct ${pct(severity.p99)} of covered value`,
  );
  console.log(`expected loss                ${pct(assessment.expectedLossPerYear, 3)} of cover per year`);
  console.log(`model rate                   ${pct(rate.modelRate, 3)} a year`);
  console.log(
    `recommended curve            base ${wadPct(terms.baseRateWad)}, kink ${wadPct(terms.kinkWad)}, max ${wadPct(terms.maxRateWad)}, ` +
      `capacity ${wadPct(terms.capacityWad)} of NAV`,
  );
  console.log(
    `\nsetProductTerms(productId, { capacityWad: ${terms.capacityWad}, baseRateWad: ${terms.baseRateWad}, ` +
      `kinkWad: ${terms.kinkWad}, maxRateWad: ${terms.maxRateWad} })`,
  );
  const slug = path.basename(file, path.extname(file));
  writeChart(options.get("chart") ?? `risk-assess-${slug}.svg`, rateCurveChart(assessment));
}

/** Empirical CDF points of sorted losses. */
const empiricalCdf = (losses: readonly number[]) =>
  [...losses].sort((a, b) => a - b).map((loss, index, sorted) => [loss, (index + 1) / sorted.length] as const);

function runBacktest(args: readonly string[]): void {
  const options = parseOptions(args, ["train", "test", "chart"]);
  const trainFile = required(options, "train");
  const testFile = required(options, "test");
  const train = readIncidents(trainFile);
  const test = readIncidents(testFile);
  const result = backtest(train, test);
  const { severity, frequency } = result.calibration;
  console.log(
    `train: ${trainFile} (${train.length} incidents, ${result.calibration.dataFromYear}-${result.calibration.dataToYear}); ` +
      `test: ${testFile} (${test.length} incidents, ${result.testFromYear}-${result.testToYear}, ${result.testLosses} dollar losses)`,
  );
  console.log(
    `severity fit on ${severity.count} dollar losses of ${severity.fromYear}-${severity.toYear}: ` +
      severity.candidates.map((candidate) => `${candidate.model.kind} AIC ${candidate.aic.toFixed(1)} KS ${candidate.ks.toFixed(3)}`).join("; ") +
      `; kept ${severity.chosen.kind} (lower AIC); fitted median ${usd(result.fittedMedianUsd)}, 90th pct ${usd(result.fittedP90Usd)}`,
  );
  console.log(`severity quantile coverage: p50 ${(result.coverageP50 * 100).toFixed(1)}% p90 ${(result.coverageP90 * 100).toFixed(1)}%`);
  console.log(`frequency: predicted ${result.predictedPerYear.toFixed(1)}/yr observed ${result.observedPerYear.toFixed(1)}/yr`);
  console.log(`(predicted: the mean of ${frequency.fromYear}-${frequency.toYear}; observed: test incidents per calendar year spanned)`);

  const testLosses = empiricalCdf(dollarLosses(test));
  const trainLosses = empiricalCdf(dollarLosses(train.filter((incident) => incident.year >= severity.fromYear)));
  const grid = trainLosses.concat(testLosses).map(([loss]) => loss).sort((a, b) => a - b);
  writeChart(
    options.get("chart") ?? "risk-backtest.svg",
    lineChart({
      title: `Severity: ${severity.chosen.kind} fit (${severity.fromYear}-${severity.toYear}) vs empirical`,
      xLabel: "loss per incident, US dollars (log scale)",
      yLabel: "share of losses at or below",
      logX: true,
      formatX: (value) => (value >= 1e6 ? `$${(value / 1e6).toPrecision(2)}M` : `$${(value / 1e3).toPrecision(2)}k`),
      formatY: (value) => pct(value, 0),
      series: [
        { name: "fitted CDF", color: "#1f77b4", points: grid.map((loss) => [loss, severityCdf(severity.chosen, loss)] as const) },
        { name: "empirical, training window", color: "#7f7f7f", step: true, points: trainLosses },
        { name: "empirical, test", color: "#d62728", step: true, points: testLosses },
      ],
    }),
  );
}

/** Writes the rows of years <= Y and > Y to two files with the same header (the quoted source rows kept as they are). */
function split(args: readonly string[]): void {
  const options = parseOptions(args, ["csv", "year", "out"]);
  const file = required(options, "csv");
  const year = Number(required(options, "year"));
  if (!Number.isInteger(year)) throw new UsageError(`--year must be a calendar year (got "${options.get("year")}")`);
  const text = readText(file, "incident CSV");
  const incidents = parseIncidents(text);
  const [header, ...rows] = parseCsv(text).filter((row) => row.some((cell) => cell.trim() !== ""));
  const quote = (cell: string) => (/[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell);
  const toCsv = (selected: string[][]) => [header!, ...selected].map((row) => row.map(quote).join(",")).join("\n") + "\n";
  const train = rows.filter((_, index) => incidents[index]!.year <= year);
  const test = rows.filter((_, index) => incidents[index]!.year > year);
  if (train.length === 0 || test.length === 0) throw new UsageError(`splitting at ${year} leaves ${train.length} training and ${test.length} test rows`);
  const out = required(options, "out");
  mkdirSync(out, { recursive: true });
  writeFileSync(path.join(out, "train.csv"), toCsv(train));
  writeFileSync(path.join(out, "test.csv"), toCsv(test));
  console.log(`${path.join(out, "train.csv")}: ${train.length} incidents up to ${year}; ${path.join(out, "test.csv")}: ${test.length} after`);
}

/** The generated module's text for a calibration of `csvFile`. */
export function calibrationModule(csvText: string): string {
  const calibration = fitCalibration(parseIncidents(csvText));
  return (
    "// Generated by `npm run risk -- calibrate` from data/exploits/defihacklabs-incidents.csv (DeFiHackLabs, Apache-2.0:\n" +
    "// see data/exploits/NOTICE). Do not edit: test/sdk/risk.data.test.ts refits the CSV and compares.\n" +
    'import type { Calibration } from "./calibration.js";\n\n' +
    "/** The fit of the shipped incident list: what `assessRisk` uses unless given another calibration. */\n" +
    `export const DEFAULT_CALIBRATION: Calibration = ${JSON.stringify(calibration, null, 2)};\n`
  );
}

function calibrate(args: readonly string[]): void {
  const options = parseOptions(args, ["csv"]);
  const file = options.get("csv") ?? SHIPPED_CSV;
  writeFileSync(CALIBRATION_FILE, calibrationModule(readText(file, "incident CSV")));
  console.log(`wrote ${path.relative(ROOT, CALIBRATION_FILE)} from ${file}`);
}

const COMMANDS: Record<string, (args: readonly string[]) => void> = { assess, backtest: runBacktest, split, calibrate };

function main(argv: readonly string[]): number {
  const [command, ...args] = argv;
  try {
    const run = command === undefined ? undefined : COMMANDS[command];
    if (run === undefined) throw new UsageError(command === undefined ? USAGE : `unknown command "${command}"; ${USAGE}`);
    run(args);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ParapetError) {
      console.error(`risk: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
