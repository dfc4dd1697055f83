import { expect } from "chai";
import { AbiCoder } from "ethers";

import { AbiDecodingError, decodeAbiParameters, isSupportedAbiType } from "../../sdk/src/index.js";
import { SplitMix64 } from "./prng.js";

const coder = AbiCoder.defaultAbiCoder();
const TYPES = ["uint8", "uint64", "uint256", "int8", "int128", "int256", "address", "bool"];
TYPES.push("bytes1", "bytes20", "bytes32", "bytes", "string");
const STRINGS = ["", "ok", "naïve café", "🛡️ Parapet ≥ 1e6", "\u0000nul", "y".repeat(100)];
const word = (value: bigint) => value.toString(16).padStart(64, "0");
const pick = <T>(rng: SplitMix64, items: readonly T[]): T => items[Number(rng.between(0n, BigInt(items.length - 1)))]!;

function randomValue(rng: SplitMix64, type: string): unknown {
  const integer = /^(u?)int(\d+)$/.exec(type);
  if (integer !== null) {
    const half = 1n << (BigInt(integer[2]!) - 1n);
    const edges = integer[1] === "u" ? [0n, 2n * half - 1n] : [-half, half - 1n, -1n];
    if (rng.between(0n, 3n) === 0n) return edges[Number(rng.between(0n, BigInt(edges.length - 1)))];
    return integer[1] === "u" ? rng.between(0n, 2n * half - 1n) : rng.between(-half, half - 1n);
  }
  const hex = (bytes: number) =>
    `0x${rng.between(0n, (1n << BigInt(8 * bytes)) - 1n).toString(16).padStart(2 * bytes, "0")}`;
  if (type === "address") return hex(20);
  if (type === "bool") return rng.between(0n, 1n) === 1n;
  if (type === "bytes") {
    const length = Number(rng.between(0n, 80n));
    return length === 0 ? "0x" : hex(length);
  }
  if (type === "string") return pick(rng, STRINGS);
  return hex(Number(type.slice(5)));
}

describe("SDK abiDecode, a minimal ABI decoder", () => {
  it("agrees with ethers on random tuples of every supported type", () => {
    const rng = new SplitMix64(0xab1dec0den);
    for (let i = 0; i < 500; i++) {
      const types = Array.from({ length: Number(rng.between(0n, 6n)) }, () => pick(rng, TYPES));
      const values = types.map((type) => randomValue(rng, type));
      const data = coder.encode(types, values);
      const ours = decodeAbiParameters(types, data);
      const theirs = coder.decode(types, data).toArray();
      // ethers checksums addresses; the SDK gives them in lowercase.
      const normalized = theirs.map((value) =>
        typeof value === "string" && value.startsWith("0x") ? value.toLowerCase() : value
      );
      expect(ours, `${types.join(",")} ${i}`).to.deep.equal(normalized);
    }
  });

  it("decodes invalid UTF-8 with replacement characters, exactly as TextDecoder does", () => {
    const asString = (bytes: string) => decodeAbiParameters(["string"], coder.encode(["bytes"], [bytes]))[0];
    // Bad continuation, invalid byte, 'a', truncated 3-byte sequence (one U+FFFD for the maximal subpart).
    expect(asString("0xc328ff61e282")).to.equal("\ufffd(\ufffda\ufffd");
    // An overlong form and a surrogate are not characters either.
    expect(asString("0xc0afeda080")).to.equal("\ufffd\ufffd\ufffd\ufffd\ufffd");

    const rng = new SplitMix64(0x07f8n);
    const decoder = new TextDecoder();
    // Bytes biased towards lead and continuation bytes, so that most strings hold valid and invalid sequences.
    const interesting = [0x00, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef];
    interesting.push(0xf0, 0xf4, 0xf5, 0xff);
    for (let i = 0; i < 2_000; i++) {
      const bytes = Array.from({ length: Number(rng.between(0n, 12n)) }, () =>
        rng.between(0n, 1n) === 0n ? pick(rng, interesting) : Number(rng.between(0n, 255n))
      );
      const hex = `0x${bytes.map((byte) => byte.toString(16).padStart(2, "0")).join("")}`;
      expect(asString(hex), hex).to.equal(decoder.decode(new Uint8Array(bytes)));
    }
  });

  it("rejects values their type cannot hold", () => {
    const overflow = (type: string, value: bigint) => () => decodeAbiParameters([type], `0x${word(value)}`);
    expect(overflow("uint8", 256n)).to.throw(AbiDecodingError, "uint8 out of range");
    expect(overflow("int8", 128n)).to.throw(AbiDecodingError, "int8 out of range");
    expect(overflow("int8", (1n << 256n) - 129n)).to.throw(AbiDecodingError, "int8 out of range");
    expect(decodeAbiParameters(["int8"], `0x${word((1n << 256n) - 128n)}`)).to.deep.equal([-128n]);
    expect(overflow("address", 1n << 160n)).to.throw(AbiDecodingError, "address with dirty high bytes");
    expect(overflow("bool", 2n)).to.throw(AbiDecodingError, "bool neither 0 nor 1");
    expect(overflow("bytes1", 1n)).to.throw(AbiDecodingError, "bytes1 with dirty padding");
  });

  it("rejects short data and offsets or lengths outside it", () => {
    expect(() => decodeAbiParameters(["uint256"], "0x")).to.throw(AbiDecodingError, "too short");
    expect(() => decodeAbiParameters(["uint256", "uint256"], `0x${word(1n)}`)).to.throw(AbiDecodingError, "too short");
    expect(() => decodeAbiParameters(["bytes"], `0x${word(64n)}`)).to.throw(AbiDecodingError, "beyond the data");
    expect(() => decodeAbiParameters(["string"], `0x${word(32n)}${word(5n)}`)).to.throw(
      AbiDecodingError,
      "runs past the end"
    );
    expect(() => decodeAbiParameters(["bytes"], `0x${word(1n << 200n)}`)).to.throw(AbiDecodingError, "beyond the data");
    expect(() => decodeAbiParameters(["uint256"], "0x0")).to.throw(AbiDecodingError, "0x-prefixed hex");
    expect(() => decodeAbiParameters(["uint256"], word(1n))).to.throw(AbiDecodingError, "0x-prefixed hex");
  });

  it("knows which types it supports", () => {
    for (const type of TYPES) expect(isSupportedAbiType(type), type).to.equal(true);
    for (const type of ["uint", "uint7", "uint264", "uint08", "bytes0", "bytes33", "uint256[]", "(uint256)", "fixed"]) {
      expect(isSupportedAbiType(type), type).to.equal(false);
      expect(() => decodeAbiParameters([type], `0x${word(0n)}`), type).to.throw(AbiDecodingError, "unsupported");
    }
  });
});
