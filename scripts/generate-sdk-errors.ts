/**
 * Writes sdk/src/core/contractErrors.ts: one SDK error class per custom error found in the ABIs under
 * artifacts/contracts (the protocol's own errors and those it inherits from OpenZeppelin and its libraries), with its
 * selector and typed fields, and the selector table `decodeContractError` looks errors up in.
 *
 * Deterministic: the output depends only on the set of errors, not on file order, so `test/sdk/contractErrors.test.ts`
 * regenerates it and fails if the committed file drifted from the contracts.
 *
 * Fails loudly, writing nothing, when two contracts declare different errors under one name (unless the pair is listed
 * in RENAMED_OVERLOADS), when two signatures share a selector, or when an error uses a type the SDK cannot decode.
 *
 * Run: `npx hardhat build && npx tsx scripts/generate-sdk-errors.ts`.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { id } from "ethers";

export const ARTIFACTS_DIR = fileURLToPath(new URL("../artifacts/contracts/", import.meta.url));
export const OUTPUT_FILE = fileURLToPath(new URL("../sdk/src/core/contractErrors.ts", import.meta.url));

/**
 * Error names that several contracts declare with different parameters, each signature with the SDK class name it
 * gets (the error's `errorName` stays the Solidity name). Renaming one of the Solidity errors is the cleaner fix; until
 * then, any conflict missing here fails the generation, and so does an entry that no longer matches a conflict.
 */
const RENAMED_OVERLOADS: Readonly<Record<string, string>> = {
  // ClaimAdjudicator: a ruling from an arbiter that has no open case under this id.
  "UnknownCase(address,uint256)": "AdjudicatorUnknownCase",
  // CommitteeArbiter: a case id never opened.
  "UnknownCase(uint256)": "CommitteeUnknownCase",
};

/** Names the generated module defines or imports, or that are fields every error object already has. */
const RESERVED_CLASS_NAMES = new Set([
  "ContractError",
  "ContractErrorClass",
  "ContractErrorSpec",
  "CONTRACT_ERRORS",
  "Error",
  "Map",
  "PanicError",
  "ParapetError",
  "RevertError",
]);
const RESERVED_FIELD_NAMES = new Set([
  "args",
  "cause",
  "constructor",
  "errorName",
  "message",
  "name",
  "params",
  "selector",
  "signature",
  "stack",
]);

type AbiParameter = { name?: string; type: string; internalType?: string };
type AbiEntry = { type: string; name?: string; inputs?: AbiParameter[] };

type TsType = "bigint" | "number" | "boolean" | "string";

export type ErrorParameter = { name: string; type: string; enum?: string; tsType: TsType };

export type CollectedError = {
  className: string;
  errorName: string;
  signature: string;
  selector: string;
  params: ErrorParameter[];
  /** Contracts (and interfaces, libraries) whose ABI has the error, sorted. */
  contracts: string[];
};

/** Every artifact JSON file under `dir`, sorted so that nothing depends on the file system's order. */
function artifactFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json") && !entry.name.endsWith(".dbg.json"))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .sort();
}

function tsTypeOf(param: AbiParameter, where: string): { tsType: TsType; enum?: string } {
  const enumName = /^enum (.+)$/.exec(param.internalType ?? "")?.[1];
  if (enumName !== undefined && param.type === "uint8") return { tsType: "number", enum: enumName };
  if (/^u?int\d+$/.test(param.type)) return { tsType: "bigint" };
  if (param.type === "bool") return { tsType: "boolean" };
  if (param.type === "address" || param.type === "string" || /^bytes\d*$/.test(param.type)) return { tsType: "string" };
  throw new Error(`${where}: parameter type ${param.type} is not supported by the SDK's ABI decoder`);
}

/**
 * Reads every error of every ABI under `artifactsDir`, merged by signature.
 *
 * @throws if a name has several signatures not covered by RENAMED_OVERLOADS, an entry there is stale, two signatures
 * share a selector, or an error cannot be represented.
 */
export function collectErrors(artifactsDir: string = ARTIFACTS_DIR): CollectedError[] {
  const bySignature = new Map<string, CollectedError>();
  for (const file of artifactFiles(artifactsDir)) {
    const artifact = JSON.parse(readFileSync(file, "utf8")) as { contractName?: string; abi?: AbiEntry[] };
    if (artifact.contractName === undefined || !Array.isArray(artifact.abi)) continue;
    for (const entry of artifact.abi) {
      if (entry.type !== "error" || entry.name === undefined) continue;
      const where = `${artifact.contractName}.${entry.name}`;
      const inputs = entry.inputs ?? [];
      const signature = `${entry.name}(${inputs.map((input) => input.type).join(",")})`;
      const params = inputs.map((input, i) => {
        const name = input.name === undefined || input.name === "" ? `arg${i}` : input.name;
        if (RESERVED_FIELD_NAMES.has(name)) throw new Error(`${where}: parameter name "${name}" clashes with a field`);
        return { name, type: input.type, ...tsTypeOf(input, where) };
      });
      const known = bySignature.get(signature);
      if (known === undefined) {
        bySignature.set(signature, {
          className: entry.name,
          errorName: entry.name,
          signature,
          selector: id(signature).slice(0, 10),
          params,
          contracts: [artifact.contractName],
        });
        continue;
      }
      if (JSON.stringify(known.params) !== JSON.stringify(params)) {
        throw new Error(
          `${signature} has different parameter names or enums in ${known.contracts.join(", ")} and ` +
            `${artifact.contractName}: one SDK class cannot name its fields for both`
        );
      }
      if (!known.contracts.includes(artifact.contractName)) known.contracts.push(artifact.contractName);
    }
  }

  const errors = [...bySignature.values()];
  const signaturesByName = new Map<string, string[]>();
  for (const error of errors) {
    signaturesByName.set(error.errorName, [...(signaturesByName.get(error.errorName) ?? []), error.signature]);
  }
  for (const error of errors) {
    const overloaded = signaturesByName.get(error.errorName)!.length > 1;
    const renamed = RENAMED_OVERLOADS[error.signature];
    if (overloaded && renamed === undefined) {
      const declarations = errors
        .filter((other) => other.errorName === error.errorName)
        .map((other) => `${other.signature} in ${other.contracts.join(", ")}`)
        .sort();
      throw new Error(
        `two contracts declare different errors named ${error.errorName}: ${declarations.join("; ")}. ` +
          `Rename one in Solidity, or give each signature its own class name in RENAMED_OVERLOADS.`
      );
    }
    if (overloaded) error.className = renamed!;
  }
  for (const signature of Object.keys(RENAMED_OVERLOADS)) {
    const error = bySignature.get(signature);
    if (error === undefined || signaturesByName.get(error.errorName)!.length < 2) {
      throw new Error(`RENAMED_OVERLOADS lists ${signature}, which is no longer an overloaded error: remove it`);
    }
  }

  const seen = new Map<string, string>();
  for (const error of errors) {
    for (const key of [`selector ${error.selector}`, `class ${error.className}`]) {
      const other = seen.get(key);
      if (other !== undefined) throw new Error(`${error.signature} and ${other} share the ${key}`);
      seen.set(key, error.signature);
    }
    if (RESERVED_CLASS_NAMES.has(error.className)) throw new Error(`${error.signature}: class name is reserved`);
    error.contracts.sort();
  }
  return errors.sort((a, b) => (a.className < b.className ? -1 : a.className > b.className ? 1 : 0));
}

function fieldDoc(param: ErrorParameter): string {
  const declaration = `\`${param.type} ${param.name}\``;
  if (param.enum !== undefined) return `${declaration}: the ordinal of Solidity's \`enum ${param.enum}\`.`;
  if (param.type === "address") return `${declaration}, lowercase hex.`;
  if (param.type.startsWith("bytes")) return `${declaration}, lowercase hex with \`0x\`.`;
  return `${declaration}.`;
}

function renderParams(params: ErrorParameter[]): string[] {
  const items = params.map((param) =>
    param.enum === undefined
      ? `{ name: "${param.name}", type: "${param.type}" }`
      : `{ name: "${param.name}", type: "${param.type}", enum: "${param.enum}" }`
  );
  const oneLine = `    params: [${items.join(", ")}],`;
  if (oneLine.length <= 120) return [oneLine];
  return ["    params: [", ...items.map((item) => `      ${item},`), "    ],"];
}

function renderClass(error: CollectedError): string[] {
  const declaration = `${error.errorName}(${error.params.map((param) => `${param.type} ${param.name}`).join(", ")})`;
  const constructorParams = error.params.map((param) => `${param.name}: ${param.tsType}`).join(", ");
  const lines = [
    "/**",
    ...wrapDoc(`\`${declaration}\`, selector \`${error.selector}\`.`),
    ...(error.className === error.errorName
      ? []
      : [" *", ` * Renamed from \`${error.errorName}\`: another contract declares a different error of that name.`]),
    " *",
    ...wrapDoc(`Declared in: ${error.contracts.join(", ")}.`),
    " */",
    `export class ${error.className} extends ContractError {`,
    "  static readonly spec: ContractErrorSpec = {",
    `    className: "${error.className}",`,
    `    errorName: "${error.errorName}",`,
    `    signature: "${error.signature}",`,
    `    selector: "${error.selector}",`,
    ...renderParams(error.params),
    "  };",
  ];
  for (const param of error.params) {
    lines.push(`  /** ${fieldDoc(param)} */`, `  readonly ${param.name}: ${param.tsType};`);
  }
  if (error.params.length > 0) lines.push("");
  lines.push(`  constructor(${constructorParams}) {`);
  lines.push(`    super(${error.className}.spec, [${error.params.map((param) => param.name).join(", ")}]);`);
  for (const param of error.params) lines.push(`    this.${param.name} = ${param.name};`);
  lines.push("  }", "}", "");
  return lines;
}

/** `text` as TSDoc lines of at most 120 characters. */
function wrapDoc(text: string): string[] {
  const lines: string[] = [];
  let line = " *";
  for (const word of text.split(" ")) {
    if (line.length + 1 + word.length > 120) {
      lines.push(line);
      line = " *";
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

/** The module's source text for `errors`. */
export function renderContractErrors(errors: CollectedError[]): string {
  const entries = [
    ...errors.map((error) => ({ selector: error.selector, className: error.className })),
    { selector: "0x08c379a0", className: "RevertError" },
    { selector: "0x4e487b71", className: "PanicError" },
  ].sort((a, b) => (a.selector < b.selector ? -1 : 1));
  return [
    "// Generated by scripts/generate-sdk-errors.ts from the ABIs under artifacts/contracts: do not edit;",
    "// regenerate with `npx hardhat build && npx tsx scripts/generate-sdk-errors.ts`.",
    "//",
    "// Solidity twin: the custom errors of contracts/ (with those inherited from OpenZeppelin and the libraries).",
    "",
    "/**",
    ...wrapDoc(
      `One class per custom error the Parapet contracts can revert with (${errors.length} in all), named and typed ` +
        "like the Solidity declaration: `uint`/`int` fields are `bigint`, enums `number` (the ordinal), `bool` " +
        "`boolean`, and `address`, `bytes`, `bytes<N>`, `string` are `string`. {@link CONTRACT_ERRORS} finds the " +
        "class by selector."
    ),
    " *",
    " * @packageDocumentation",
    " */",
    "",
    "import {",
    "  ContractError,",
    "  PanicError,",
    "  RevertError,",
    "  type ContractErrorClass,",
    "  type ContractErrorSpec,",
    '} from "./errors.js";',
    "",
    ...errors.flatMap(renderClass),
    "const BY_SELECTOR: ReadonlyArray<readonly [string, ContractErrorClass]> = [",
    ...entries.map((entry) => `  ["${entry.selector}", ${entry.className}],`),
    "];",
    "",
    "/** Every class above, with Solidity's built-in `Error(string)` and `Panic(uint256)`, by 4-byte selector. */",
    "export const CONTRACT_ERRORS: ReadonlyMap<string, ContractErrorClass> = /* @__PURE__ */ new Map(BY_SELECTOR);",
    "",
  ].join("\n");
}

/** The module's source text for the artifacts in `artifactsDir`. */
export function generateContractErrors(artifactsDir: string = ARTIFACTS_DIR): string {
  return renderContractErrors(collectErrors(artifactsDir));
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const source = generateContractErrors();
    writeFileSync(OUTPUT_FILE, source);
    console.log(`wrote ${path.relative(process.cwd(), OUTPUT_FILE)}: ${collectErrors().length} errors`);
  } catch (error) {
    console.error(`generate-sdk-errors: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
