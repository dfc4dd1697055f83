// Solidity twin: the ABI encoding the compiler emits for revert data and `abi.encode`
// (https://docs.soliditylang.org/en/latest/abi-spec.html), decoding side, for what the protocol's errors carry: the
// static types uint<N>, int<N>, address, bool, bytes<N>, and the dynamic types bytes and string. No arrays or tuples:
// no error of the protocol has one.
//
// Strict: a word that the type cannot hold (an address or a uint8 with dirty high bits, a bool other than 0 or 1, a
// bytes<N> with dirty padding) is rejected, since the contracts never produce one and such data is not what it claims
// to be.

import { AbiDecodingError, type AbiValue } from "./errors.js";

const WORD_BYTES = 32;
const HEX = /^0x([0-9a-fA-F]{2})*$/;

/**
 * Whether `type` is an ABI type {@link decodeAbiParameters} can decode.
 *
 * @param type - A canonical ABI type, e.g. `uint256`.
 */
export function isSupportedAbiType(type: string): boolean {
  return parseType(type) !== undefined;
}

/**
 * Decodes ABI-encoded values (the tuple `(types...)`, as in calldata after the selector, return data, or revert data
 * after the selector).
 *
 * Integers decode to `bigint`, `bool` to `boolean`, `address` to a lowercase `0x` string (apply a checksum when
 * displaying it), `bytes<N>` and `bytes` to a lowercase `0x` hex string, and `string` to a string (UTF-8; invalid
 * sequences become U+FFFD, as `TextDecoder` does). Bytes past the last value are ignored.
 *
 * @param types - Canonical ABI types, e.g. `["uint256", "address"]`.
 * @param data - The encoding, as `0x`-prefixed hex.
 * @returns One value per type.
 * @throws {@link AbiDecodingError} if `data` is not hex, is too short, holds a value its type cannot, or a type is
 * not supported.
 */
export function decodeAbiParameters(types: readonly string[], data: string): AbiValue[] {
  if (!HEX.test(data)) throw new AbiDecodingError("ABI data must be 0x-prefixed hex with whole bytes");
  const hex = data.slice(2).toLowerCase();
  const size = hex.length / 2;
  return types.map((type, index) => {
    const parsed = parseType(type);
    if (parsed === undefined) throw new AbiDecodingError(`unsupported ABI type ${type}`);
    const head = word(hex, index * WORD_BYTES, type);
    switch (parsed.kind) {
      case "uint": {
        const value = BigInt(`0x${head}`);
        if (value >> BigInt(parsed.bits) !== 0n) throw new AbiDecodingError(`${type} out of range: 0x${head}`);
        return value;
      }
      case "int": {
        const raw = BigInt(`0x${head}`);
        const value = raw >> 255n === 0n ? raw : raw - (1n << 256n);
        const limit = 1n << BigInt(parsed.bits - 1);
        if (value < -limit || value >= limit) throw new AbiDecodingError(`${type} out of range: 0x${head}`);
        return value;
      }
      case "address":
        if (!/^0{24}/.test(head)) throw new AbiDecodingError(`address with dirty high bytes: 0x${head}`);
        return `0x${head.slice(24)}`;
      case "bool":
        if (!/^0{63}[01]$/.test(head)) throw new AbiDecodingError(`bool neither 0 nor 1: 0x${head}`);
        return head.endsWith("1");
      case "fixedBytes":
        if (!/^0*$/.test(head.slice(parsed.bytes * 2))) throw new AbiDecodingError(`${type} with dirty padding`);
        return `0x${head.slice(0, parsed.bytes * 2)}`;
      case "bytes":
      case "string": {
        const offset = toIndex(BigInt(`0x${head}`), size, type);
        const length = toIndex(BigInt(`0x${word(hex, offset, type)}`), size, type);
        const start = offset + WORD_BYTES;
        if (start + length > size) throw new AbiDecodingError(`${type} runs past the end of the data`);
        const content = hex.slice(start * 2, (start + length) * 2);
        return parsed.kind === "bytes" ? `0x${content}` : utf8Decode(content);
      }
    }
  });
}

type ParsedType =
  | { kind: "uint" | "int"; bits: number }
  | { kind: "fixedBytes"; bytes: number }
  | { kind: "address" | "bool" | "bytes" | "string" };

function parseType(type: string): ParsedType | undefined {
  if (type === "address" || type === "bool" || type === "bytes" || type === "string") return { kind: type };
  const integer = /^(u?int)(\d{1,3})$/.exec(type);
  if (integer !== null) {
    const bits = Number(integer[2]);
    if (bits % 8 !== 0 || bits < 8 || bits > 256 || integer[2]!.startsWith("0")) return undefined;
    return { kind: integer[1] as "uint" | "int", bits };
  }
  const fixed = /^bytes([1-9]\d?)$/.exec(type);
  if (fixed !== null && Number(fixed[1]) <= 32) return { kind: "fixedBytes", bytes: Number(fixed[1]) };
  return undefined;
}

/** The 32-byte word at byte `offset`, as 64 hex digits. */
function word(hex: string, offset: number, type: string): string {
  if ((offset + WORD_BYTES) * 2 > hex.length) throw new AbiDecodingError(`data too short for ${type}`);
  return hex.slice(offset * 2, (offset + WORD_BYTES) * 2);
}

/** An offset or a length, which must lie within the data to mean anything. */
function toIndex(value: bigint, size: number, type: string): number {
  if (value > BigInt(size)) throw new AbiDecodingError(`${type} offset or length ${value} beyond the data`);
  return Number(value);
}

/**
 * UTF-8 to a string the way the WHATWG Encoding Standard decodes it (as `TextDecoder` does): each maximal invalid
 * subsequence becomes one U+FFFD. Written out because the core uses no globals beyond the language's.
 */
function utf8Decode(hex: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < hex.length; i += 2) bytes.push(parseInt(hex.slice(i, i + 2), 16));
  let out = "";
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    i += 1;
    if (lead < 0x80) {
      out += String.fromCharCode(lead);
      continue;
    }
    // Continuation bytes still needed, the code point so far, and the range the next byte must lie in (narrower
    // after E0, ED, F0 and F4, which rules out overlong forms, surrogates and code points above U+10FFFF).
    let needed: number;
    let codePoint: number;
    let lower = 0x80;
    let upper = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) [needed, codePoint] = [1, lead & 0x1f];
    else if (lead >= 0xe0 && lead <= 0xef) [needed, codePoint] = [2, lead & 0x0f];
    else if (lead >= 0xf0 && lead <= 0xf4) [needed, codePoint] = [3, lead & 0x07];
    else {
      out += "\ufffd";
      continue;
    }
    if (lead === 0xe0) lower = 0xa0;
    if (lead === 0xed) upper = 0x9f;
    if (lead === 0xf0) lower = 0x90;
    if (lead === 0xf4) upper = 0x8f;
    for (; needed > 0; needed--) {
      const next = bytes[i];
      if (next === undefined || next < lower || next > upper) break;
      codePoint = (codePoint << 6) | (next & 0x3f);
      [lower, upper] = [0x80, 0xbf];
      i += 1;
    }
    // An invalid byte is not consumed: it may start the next sequence.
    out += needed === 0 ? String.fromCodePoint(codePoint) : "\ufffd";
  }
  return out;
}
