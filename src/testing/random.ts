/**
 * A small, fast, seeded pseudo-random number generator and the sampling helpers the
 * telemetry generator needs. Pure computation: no globals, no `Math.random()`, so the same
 * seed gives the same numbers in Node, workers and pages.
 */

/** Char codes of the lowercase hex digits. */
const HEX_CODES: readonly number[] = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0))

/** Char codes of the alphabet of {@link SeededRandom.token}: what provider ids such as `call_…` use. */
const BASE62_CODES: readonly number[] = Array.from(
  '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz',
  (character) => character.charCodeAt(0),
)

const DASH_CODE = 45

/** 2^32, to turn a uint32 into a float in [0, 1). */
const UINT32_RANGE = 4294967296

/**
 * Turns char codes into one flat string. Ids are built this way rather than with `+`:
 * concatenating 20 short pieces leaves V8 a tree of cons strings (~490 bytes and ~2 µs per
 * uuid, measured) where this gives one flat 36-char string (~64 bytes, ~0.3 µs).
 */
export function stringFromCharCodes(codes: readonly number[]): string {
  return String.fromCharCode.apply(null, codes as number[])
}

/** Writes `digitCount` hex digits of `value` (low bits) into `codes` at `offset`. */
function writeHex(codes: number[], offset: number, value: number, digitCount: number): void {
  let remaining = value
  for (let index = offset + digitCount - 1; index >= offset; index--) {
    codes[index] = HEX_CODES[remaining & 15] as number
    remaining >>>= 4
  }
}

/**
 * MurmurHash3's 32-bit finaliser. Every step (xor-shift right, multiply by an odd
 * constant) is invertible, so the whole function is a bijection on uint32: distinct inputs
 * give distinct outputs. {@link SeededRandom.uuid} relies on that for uniqueness.
 */
export function mix32(value: number): number {
  let hash = value >>> 0
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return hash >>> 0
}

/**
 * A table for weighted picks: items with cumulative weights, built once and sampled many
 * times by {@link SeededRandom.weighted}.
 */
export interface WeightedTable<Item> {
  /** The items, in the order they were given. */
  readonly items: readonly Item[]
  /** Running sums of the weights: `cumulativeWeights[i]` = weight of items 0..i. */
  readonly cumulativeWeights: Float64Array
  /** Sum of all weights. */
  readonly totalWeight: number
}

/**
 * Builds a {@link WeightedTable} from `[item, weight]` pairs. Weights must be finite and
 * non-negative, with a positive sum.
 */
export function weightedTable<Item>(entries: readonly (readonly [Item, number])[]): WeightedTable<Item> {
  const cumulativeWeights = new Float64Array(entries.length)
  let totalWeight = 0
  entries.forEach(([, weight], index) => {
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`weight ${index} must be a finite number >= 0, got ${weight}`)
    }
    totalWeight += weight
    cumulativeWeights[index] = totalWeight
  })
  if (!(totalWeight > 0)) {
    throw new RangeError('a weighted table needs a positive total weight')
  }
  return { items: entries.map(([item]) => item), cumulativeWeights, totalWeight }
}

/**
 * Seeded PRNG: Chris Doty-Humphrey's sfc32 (128-bit state, passes PractRand, a handful of
 * integer ops per draw), seeded through splitmix32 so that nearby seeds give unrelated
 * streams. The sampling helpers each consume a fixed, documented number of draws, so a
 * change in one part of a generator does not silently reshuffle everything after it.
 */
export class SeededRandom {
  private stateA: number
  private stateB: number
  private stateC: number
  private stateD: number
  /** Counter of {@link uuid} calls; with the salt it makes the first 32 bits of every uuid distinct. */
  private uuidCount = 0
  private readonly uuidSalt: number
  /** Scratch buffers for building ids without intermediate strings. */
  private readonly uuidCodes: number[] = Array.from({ length: 36 }, () => 0)
  private readonly tokenCodesByLength = new Map<number, number[]>()

  /**
   * @param seed Any finite number; integers are the intended use. The integer part and
   *   the high 32 bits both count, so `1` and `2 ** 32 + 1` give different streams.
   */
  constructor(seed: number) {
    if (!Number.isFinite(seed)) {
      throw new RangeError(`seed must be a finite number, got ${seed}`)
    }
    const integerSeed = Math.trunc(seed)
    const low = integerSeed >>> 0
    const high = Math.floor(integerSeed / UINT32_RANGE) >>> 0
    let splitmixState = (low ^ Math.imul(high, 0x9e3779b1)) >>> 0
    const nextSplitmix = (): number => {
      splitmixState = (splitmixState + 0x9e3779b9) >>> 0
      let mixed = splitmixState
      mixed = Math.imul(mixed ^ (mixed >>> 16), 0x21f0aaad)
      mixed = Math.imul(mixed ^ (mixed >>> 15), 0x735a2d97)
      return (mixed ^ (mixed >>> 15)) >>> 0
    }
    this.stateA = nextSplitmix()
    this.stateB = nextSplitmix()
    this.stateC = nextSplitmix()
    this.stateD = nextSplitmix() | 1
    this.uuidSalt = nextSplitmix()
    // sfc32's authors discard the first outputs so a weak seed's structure is mixed away.
    for (let warmup = 0; warmup < 15; warmup++) {
      this.nextUint32()
    }
  }

  /** One raw draw: a uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const a = this.stateA
    const b = this.stateB
    const c = this.stateC
    const d = this.stateD
    const result = (((a + b) | 0) + d) | 0
    this.stateD = (d + 1) | 0
    this.stateA = b ^ (b >>> 9)
    this.stateB = (c + (c << 3)) | 0
    const rotated = (c << 21) | (c >>> 11)
    this.stateC = (rotated + result) | 0
    return result >>> 0
  }

  /** A float in [0, 1) (one draw). */
  next(): number {
    return this.nextUint32() / UINT32_RANGE
  }

  /** A float in [min, max) (one draw). */
  float(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** An integer in [min, maxInclusive] (one draw). */
  int(min: number, maxInclusive: number): number {
    return min + Math.floor(this.next() * (maxInclusive - min + 1))
  }

  /** `true` with probability `probability` (one draw). */
  chance(probability: number): boolean {
    return this.next() < probability
  }

  /** A uniformly chosen element of a non-empty array (one draw). */
  pick<Item>(items: readonly Item[]): Item {
    if (items.length === 0) {
      throw new RangeError('cannot pick from an empty array')
    }
    return items[Math.floor(this.next() * items.length)] as Item
  }

  /** Index of a weighted pick from a {@link WeightedTable} (one draw). */
  weightedIndex(table: WeightedTable<unknown>): number {
    const target = this.next() * table.totalWeight
    const cumulative = table.cumulativeWeights
    let low = 0
    let high = cumulative.length - 1
    while (low < high) {
      const middle = (low + high) >>> 1
      if ((cumulative[middle] as number) > target) {
        high = middle
      } else {
        low = middle + 1
      }
    }
    return low
  }

  /** An item of a {@link WeightedTable}, chosen in proportion to its weight (one draw). */
  weighted<Item>(table: WeightedTable<Item>): Item {
    return table.items[this.weightedIndex(table)] as Item
  }

  /** A standard normal deviate, by Box-Muller (two draws). */
  normal(): number {
    const radius = Math.sqrt(-2 * Math.log(1 - this.next()))
    return radius * Math.cos(2 * Math.PI * this.next())
  }

  /**
   * A log-normal deviate with the given median and log-space standard deviation
   * (two draws). Latencies and token counts are log-normal in practice: a long right tail.
   */
  lognormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal())
  }

  /**
   * A UUID v4-shaped id (`xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx`, three draws). The first
   * 32 bits are a bijective hash of a per-instance counter mixed with the seed, so no two
   * calls on one instance return the same id (up to 2^32 calls); the other 90 bits are random.
   */
  uuid(): string {
    const head = mix32((this.uuidCount++ ^ this.uuidSalt) >>> 0)
    const middle = this.nextUint32()
    const tailHigh = this.nextUint32()
    const tailLow = this.nextUint32()
    const codes = this.uuidCodes
    writeHex(codes, 0, head, 8)
    codes[8] = DASH_CODE
    writeHex(codes, 9, middle >>> 16, 4)
    codes[13] = DASH_CODE
    writeHex(codes, 14, 0x4000 | (middle & 0x0fff), 4)
    codes[18] = DASH_CODE
    writeHex(codes, 19, 0x8000 | ((tailHigh >>> 16) & 0x3fff), 4)
    codes[23] = DASH_CODE
    writeHex(codes, 24, tailHigh & 0xffff, 4)
    writeHex(codes, 28, tailLow, 8)
    return stringFromCharCodes(codes)
  }

  /**
   * A random base62 string of `length` characters (one draw per five characters), the
   * shape of provider ids such as OpenAI's `call_…` and `chatcmpl-…`.
   */
  token(length: number): string {
    let codes = this.tokenCodesByLength.get(length)
    if (codes === undefined) {
      codes = Array.from({ length }, () => 0)
      this.tokenCodesByLength.set(length, codes)
    }
    let bits = 0
    let remaining = 0
    for (let index = 0; index < length; index++) {
      if (remaining === 0) {
        bits = this.nextUint32()
        remaining = 5
      }
      codes[index] = BASE62_CODES[bits % 62] as number
      bits = Math.floor(bits / 62)
      remaining--
    }
    return stringFromCharCodes(codes)
  }
}
