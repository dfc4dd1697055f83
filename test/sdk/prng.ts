/** SplitMix64 over bigint, shared by the SDK's property tests, so every run replays the same cases. */
export class SplitMix64 {
  static readonly #MASK = (1n << 64n) - 1n;
  #state: bigint;

  constructor(seed: bigint) {
    this.#state = seed & SplitMix64.#MASK;
  }

  next64(): bigint {
    this.#state = (this.#state + 0x9e3779b97f4a7c15n) & SplitMix64.#MASK;
    let z = this.#state;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & SplitMix64.#MASK;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & SplitMix64.#MASK;
    return z ^ (z >> 31n);
  }

  /** Uniform in [low, high]. */
  between(low: bigint, high: bigint): bigint {
    const span = high - low + 1n;
    let entropy = 0n;
    for (let bits = 0; bits < span.toString(2).length + 64; bits += 64) entropy = (entropy << 64n) | this.next64();
    return low + (entropy % span);
  }

  /** Spread evenly over orders of magnitude in [low, high], low >= 1. */
  logUniform(low: bigint, high: bigint): bigint {
    const digits = Number(this.between(BigInt(low.toString().length), BigInt(high.toString().length)));
    const decadeLow = 10n ** BigInt(digits - 1);
    const decadeHigh = decadeLow * 10n - 1n;
    return this.between(decadeLow > low ? decadeLow : low, decadeHigh < high ? decadeHigh : high);
  }

  /** Half the time the smallest step, so rounding at adjacent inputs is exercised, else any step up to `limit`. */
  step(limit: bigint): bigint {
    if (limit === 0n) return 0n;
    return this.between(0n, 1n) === 0n ? 1n : this.between(0n, limit);
  }
}
