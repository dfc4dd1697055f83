/**
 * Coverage gate for `npm run coverage`: reads the lcov report Hardhat wrote and fails unless the production contracts
 * (everything under contracts/ but the test mocks) have at least MIN_LINE_PERCENT of their lines covered.
 */
import { readFile } from "node:fs/promises";

const MIN_LINE_PERCENT = 95;
const REPORT = "coverage/lcov.info";

type FileLines = { file: string; found: number; hit: number };

function parseLcov(text: string): FileLines[] {
  const files: FileLines[] = [];
  let current: FileLines | undefined;
  for (const line of text.split("\n")) {
    if (line.startsWith("SF:")) current = { file: line.slice(3), found: 0, hit: 0 };
    else if (line.startsWith("LF:") && current) current.found = Number(line.slice(3));
    else if (line.startsWith("LH:") && current) current.hit = Number(line.slice(3));
    else if (line === "end_of_record" && current) {
      files.push(current);
      current = undefined;
    }
  }
  return files;
}

const percent = (hit: number, found: number) => (found === 0 ? 100 : (100 * hit) / found);

const production = parseLcov(await readFile(REPORT, "utf8")).filter(
  ({ file }) => file.includes("contracts/") && !file.includes("contracts/mocks/"),
);
if (production.length === 0) throw new Error(`${REPORT} lists no production contract`);
const found = production.reduce((sum, f) => sum + f.found, 0);
const hit = production.reduce((sum, f) => sum + f.hit, 0);
const total = percent(hit, found);
for (const f of production.sort((a, b) => percent(a.hit, a.found) - percent(b.hit, b.found))) {
  console.log(`${percent(f.hit, f.found).toFixed(2).padStart(7)}%  ${f.file.replace(/^.*?contracts\//, "contracts/")}`);
}
console.log(`\nproduction contracts: ${hit} of ${found} lines covered, ${total.toFixed(2)}% (minimum ${MIN_LINE_PERCENT}%)`);
if (total < MIN_LINE_PERCENT) {
  console.error(`coverage ${total.toFixed(2)}% is below the ${MIN_LINE_PERCENT}% minimum`);
  process.exit(1);
}
