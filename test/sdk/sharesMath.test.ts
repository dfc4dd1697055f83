import { expect } from "chai";
import {
  ArithmeticOverflow,
  sharePriceWad,
  toAssetsDown,
  toAssetsUp,
  toSharesDown,
  toSharesUp,
  UINT256_MAX,
  ValueOutOfRange,
  VIRTUAL_ASSETS,
  VIRTUAL_SHARES,
  WAD,
} from "../../sdk/src/index.js";
import { SplitMix64 } from "./prng.js";

const ITERATIONS = 1_000;
/** The ranges test/solidity/SharesMath.t.sol fuzzes: 1e12 whole 18-decimal tokens, a million times that in shares. */
const MAX_ASSETS = 10n ** 30n;
const MAX_SHARES = 10n ** 36n;

type State = { totalAssets: bigint; totalShares: bigint };

/** Vault states from empty to huge, including the lopsided ones (tiny NAV, huge supply) where rounding bites. */
function randomState(rng: SplitMix64): State {
  const pick = (max: bigint) => (rng.between(0n, 5n) === 0n ? rng.between(0n, 3n) : rng.logUniform(1n, max));
  return { totalAssets: pick(MAX_ASSETS), totalShares: pick(MAX_SHARES) };
}

/** `(A + 1) / (S + 1e6)` never decreasing, compared exactly. */
function priceNotLower(before: State, after: State): boolean {
  return (
    (after.totalAssets + VIRTUAL_ASSETS) * (before.totalShares + VIRTUAL_SHARES) >=
    (before.totalAssets + VIRTUAL_ASSETS) * (after.totalShares + VIRTUAL_SHARES)
  );
}

describe("SDK sharesMath, twin of SharesMath.sol", () => {
  describe("hand-checked values (the same as test/solidity/SharesMath.t.sol)", () => {
    it("uses the 1e6 / 1 virtual offset", () => {
      expect(VIRTUAL_SHARES).to.equal(1_000_000n);
      expect(VIRTUAL_ASSETS).to.equal(1n);
    });

    it("mints 1e6 shares per unit in an empty vault", () => {
      expect(toSharesDown(1n, 0n, 0n)).to.equal(1_000_000n);
      expect(toSharesUp(1n, 0n, 0n)).to.equal(1_000_000n);
      expect(toAssetsDown(1_000_000n, 0n, 0n)).to.equal(1n);
      expect(toAssetsUp(1n, 0n, 0n)).to.equal(1n);
      expect(toAssetsDown(1n, 0n, 0n)).to.equal(0n);
    });

    it("rounds each direction on an inexact ratio", () => {
      // 10 units over 3 shares (+ offsets: 11 / 1,000,003): 1 unit buys 90,909.36… shares.
      expect(toSharesDown(1n, 10n, 3n)).to.equal(90_909n);
      expect(toSharesUp(1n, 10n, 3n)).to.equal(90_910n);
      // 100,000 shares are worth 1.09999… units.
      expect(toAssetsDown(100_000n, 10n, 3n)).to.equal(1n);
      expect(toAssetsUp(100_000n, 10n, 3n)).to.equal(2n);
    });

    it("does not round an exact ratio", () => {
      // 999,999 units over 999,999,000,000 shares (+ offsets: 1e6 / 1e12): exactly 1e6 shares per unit.
      expect(toSharesDown(7n, 999_999n, 999_999_000_000n)).to.equal(7_000_000n);
      expect(toSharesUp(7n, 999_999n, 999_999_000_000n)).to.equal(7_000_000n);
      expect(toAssetsDown(7_000_000n, 999_999n, 999_999_000_000n)).to.equal(7n);
      expect(toAssetsUp(7_000_000n, 999_999n, 999_999_000_000n)).to.equal(7n);
    });

    it("blunts the inflation attack: the victim loses under 0.1%", () => {
      // The attacker's 1 unit bought 1e6 shares, then a 1,000,000-token donation (6 decimals) joined NAV.
      const totalAssets = 1n + 10n ** 12n;
      const totalShares = 1_000_000n;
      const victimShares = toSharesDown(10n ** 9n, totalAssets, totalShares);
      // 1e9 × 2e6 / (1e12 + 2) = 1999.99…
      expect(victimShares).to.equal(1_999n);
      const victimAssets = toAssetsDown(victimShares, totalAssets + 10n ** 9n, totalShares + victimShares);
      expect(victimAssets * 1_000n + 10n ** 9n).to.be.at.least(10n ** 12n);
    });

    it("prices a share in whole assets, 1.0 when empty", () => {
      expect(sharePriceWad(0n, 0n)).to.equal(WAD);
      // 2,000,000 units over 1e12 shares: 1,000,000 whole shares hold 2 whole units each (with the offsets,
      // (2e6 + 1) × 1e6 / (1e12 + 1e6) = 1.999999…).
      const expected = ((2_000_000n + 1n) * 10n ** 24n) / (10n ** 12n + 10n ** 6n);
      expect(sharePriceWad(2_000_000n, 10n ** 12n)).to.equal(expected);
      expect(sharePriceWad(2_000_000n, 10n ** 12n) < 2n * WAD).to.equal(true);
    });
  });

  describe("properties (the Solidity fuzz suite's, over the same ranges)", () => {
    it("rounds shares down at most 1 below up, equal exactly when the ratio divides", () => {
      const rng = new SplitMix64(0x54a2e5n);
      for (let i = 0; i < ITERATIONS; i++) {
        const { totalAssets, totalShares } = randomState(rng);
        const assets = rng.logUniform(1n, MAX_ASSETS);
        const down = toSharesDown(assets, totalAssets, totalShares);
        const up = toSharesUp(assets, totalAssets, totalShares);
        const exact = (assets * (totalShares + VIRTUAL_SHARES)) % (totalAssets + VIRTUAL_ASSETS) === 0n;
        expect(up - down, `iteration ${i}`).to.equal(exact ? 0n : 1n);
      }
    });

    it("rounds assets down at most 1 below up, equal exactly when the ratio divides", () => {
      const rng = new SplitMix64(0xa55e75n);
      for (let i = 0; i < ITERATIONS; i++) {
        const { totalAssets, totalShares } = randomState(rng);
        const shares = rng.logUniform(1n, MAX_SHARES);
        const down = toAssetsDown(shares, totalAssets, totalShares);
        const up = toAssetsUp(shares, totalAssets, totalShares);
        const exact = (shares * (totalAssets + VIRTUAL_ASSETS)) % (totalShares + VIRTUAL_SHARES) === 0n;
        expect(up - down, `iteration ${i}`).to.equal(exact ? 0n : 1n);
      }
    });

    it("never creates value in a round trip", () => {
      const rng = new SplitMix64(0x7219n);
      for (let i = 0; i < ITERATIONS; i++) {
        const state = randomState(rng);
        const { totalAssets: A, totalShares: S } = state;
        const assets = rng.logUniform(1n, MAX_ASSETS);
        const shares = rng.logUniform(1n, MAX_SHARES);
        const at = `iteration ${i}`;

        // Deposit, then redeem at the same price and at the price the deposit left.
        const minted = toSharesDown(assets, A, S);
        expect(toAssetsDown(minted, A, S), at).to.be.at.most(assets);
        expect(toAssetsDown(minted, A + assets, S + minted), at).to.be.at.most(assets);

        // Mint, then redeem: the mint cost at least what the shares pay back.
        const cost = toAssetsUp(shares, A, S);
        expect(toAssetsDown(shares, A, S), at).to.be.at.most(cost);
        expect(toAssetsDown(shares, A + cost, S + shares), at).to.be.at.most(cost);

        // A withdrawal of `assets` burns at least what depositing them minted.
        expect(toSharesUp(assets, A + assets, S + minted), at).to.be.at.least(minted);

        // Redeem some of the supply, deposit the proceeds: no more shares than were redeemed.
        const redeemed = rng.between(0n, S);
        const proceeds = toAssetsDown(redeemed, A, S);
        expect(toSharesDown(proceeds, A - proceeds, S - redeemed), at).to.be.at.most(redeemed);

        // Burning toSharesUp(a) shares and minting them back costs at least a; likewise for shares.
        expect(toAssetsUp(toSharesUp(assets, A, S), A, S), at).to.be.at.least(assets);
        expect(toSharesDown(toAssetsDown(shares, A, S), A, S), at).to.be.at.most(shares);
      }
    });

    it("never lowers the price per share on any entry or exit", () => {
      const rng = new SplitMix64(0x9a1ce5n);
      for (let i = 0; i < ITERATIONS; i++) {
        const before = randomState(rng);
        const { totalAssets: A, totalShares: S } = before;
        const amount = rng.logUniform(1n, MAX_ASSETS);
        const deposit = { totalAssets: A + amount, totalShares: S + toSharesDown(amount, A, S) };
        const mint = { totalAssets: A + toAssetsUp(amount, A, S), totalShares: S + amount };
        const redeemed = rng.between(0n, S);
        const redeem = { totalAssets: A - toAssetsDown(redeemed, A, S), totalShares: S - redeemed };
        for (const after of [deposit, mint, redeem]) {
          expect(priceNotLower(before, after), `iteration ${i}`).to.equal(true);
        }
        const withdrawn = rng.between(0n, A);
        const burned = toSharesUp(withdrawn, A, S);
        if (burned <= S) {
          const withdraw = { totalAssets: A - withdrawn, totalShares: S - burned };
          expect(priceNotLower(before, withdraw), `iteration ${i}`).to.equal(true);
        }
      }
    });

    it("is monotone in the amount converted", () => {
      const rng = new SplitMix64(0x30a0n);
      for (let i = 0; i < ITERATIONS; i++) {
        const { totalAssets, totalShares } = randomState(rng);
        const larger = rng.logUniform(1n, MAX_SHARES);
        const smaller = larger - rng.step(larger);
        for (const convert of [toSharesDown, toSharesUp, toAssetsDown, toAssetsUp]) {
          expect(convert(smaller, totalAssets, totalShares), `${convert.name} ${i}`).to.be.at.most(
            convert(larger, totalAssets, totalShares)
          );
        }
      }
    });
  });

  describe("failures, where the twin reverts", () => {
    it("overflows where `totalShares + 1e6`, `totalAssets + 1` or the result leaves uint256", () => {
      expect(() => toSharesDown(1n, 0n, UINT256_MAX)).to.throw(ArithmeticOverflow, "totalShares + VIRTUAL_SHARES");
      expect(() => toAssetsDown(1n, UINT256_MAX, 0n)).to.throw(ArithmeticOverflow, "totalAssets + VIRTUAL_ASSETS");
      expect(() => toSharesDown(UINT256_MAX, 0n, 0n)).to.throw(ArithmeticOverflow, "mulDiv");
      // The product alone may exceed 256 bits: mulDiv stays exact.
      expect(toSharesDown(UINT256_MAX, UINT256_MAX - 1n, UINT256_MAX - VIRTUAL_SHARES)).to.equal(UINT256_MAX);
    });

    it("rejects values no uint256 holds", () => {
      expect(() => toSharesDown(-1n, 0n, 0n)).to.throw(ValueOutOfRange, "assets");
      expect(() => toAssetsUp(1n, -1n, 0n)).to.throw(ValueOutOfRange, "totalAssets");
      expect(() => toAssetsDown(1n, 0n, UINT256_MAX + 1n)).to.throw(ValueOutOfRange, "totalShares");
    });
  });
});
