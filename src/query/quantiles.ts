/**
 * Percentiles by the nearest-rank definition, found by quickselect in place over a
 * `Float64Array` range (no sort: a full sort of 1M doubles takes ~150 ms in Node 20,
 * a select ~10-30 ms).
 *
 * Nearest rank: the p-th percentile of n values is the value of rank ⌈p·n/100⌉ (1-based) in
 * ascending order. It is always one of the values (p50 of [1, 2] is 1, p99 of 10 values is
 * the largest), and two runs over the same values agree exactly.
 */

/** The 0-based index, in ascending order, of the p-th percentile of `count` values (count ≥ 1). */
export function nearestRankIndex(percent: number, count: number): number {
  // percent·count is an exact integer for integer percents, so the ceiling is exact too.
  const rank = Math.ceil((percent * count) / 100)
  return Math.min(count, Math.max(1, rank)) - 1
}

/**
 * Rearranges `values[low..high]` (inclusive) so that `values[k]` holds the value it would hold
 * if the range were sorted, everything before it is ≤ and everything after it ≥.
 * Values must not be NaN.
 */
export function selectInPlace(values: Float64Array, low: number, high: number, k: number): void {
  let left = low
  let right = high
  while (right > left) {
    // Median of three as the pivot keeps sorted and reversed inputs linear.
    const a = values[left] as number
    const b = values[(left + right) >>> 1] as number
    const c = values[right] as number
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b
    let i = left
    let j = right
    while (i <= j) {
      while ((values[i] as number) < pivot) {
        i += 1
      }
      while ((values[j] as number) > pivot) {
        j -= 1
      }
      if (i <= j) {
        const swap = values[i] as number
        values[i] = values[j] as number
        values[j] = swap
        i += 1
        j -= 1
      }
    }
    if (k <= j) {
      right = j
    } else if (k >= i) {
      left = i
    } else {
      return
    }
  }
}

/** Ranges at least this long go through a histogram of their values' leading bits first. */
const MIN_HISTOGRAM_COUNT = 1 << 13
/** 16 leading bits: sign, exponent and 4 mantissa bits, so 16 bins per power of two. */
const BIN_COUNT = 1 << 16
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1
let binCounts: Int32Array | undefined
let binSlots: Int8Array | undefined

/**
 * Nearest-rank percentiles of `values[start..end)` (reordered in place), one per entry of
 * `percents`; NaN for an empty range. Values must not be NaN.
 *
 * Long ranges are first binned by the 16 leading bits of each double (their order is the
 * numeric order once the sign is accounted for), which finds the bin holding each wanted
 * rank in one pass; only those bins' values are then selected from. Short ranges go straight
 * to quickselect, the selects sharing the work: each runs left of the previous, larger rank.
 */
export function percentilesInPlace(values: Float64Array, start: number, end: number, percents: readonly number[]): number[] {
  const count = end - start
  if (count <= 0) {
    return percents.map(() => Number.NaN)
  }
  const ranks = percents.map((percent) => nearestRankIndex(percent, count))
  if (count >= MIN_HISTOGRAM_COUNT && LITTLE_ENDIAN) {
    return selectByHistogram(values, start, end, ranks)
  }
  const out = ranks.map(() => Number.NaN)
  const order = ranks.map((_, index) => index).sort((x, y) => (ranks[y] as number) - (ranks[x] as number))
  let high = end - 1
  for (const index of order) {
    const k = start + (ranks[index] as number)
    selectInPlace(values, start, high, k)
    out[index] = values[k] as number
    high = k
  }
  return out
}

/** The bin of a double from the high 32 bits of its IEEE 754 form, in numeric order. */
function binOf(highBits: number): number {
  // Negative numbers: all bits flipped (larger magnitude, smaller bin); others: sign bit set.
  return highBits >= 0x80000000 ? ~highBits >>> 16 : (highBits >>> 16) | 0x8000
}

/** The values of 0-based `ranks` within `values[start..end)`, via a histogram of leading bits. */
function selectByHistogram(values: Float64Array, start: number, end: number, ranks: readonly number[]): number[] {
  const count = end - start
  const words = new Uint32Array(values.buffer, values.byteOffset + start * 8, count * 2)
  binCounts ??= new Int32Array(BIN_COUNT)
  binSlots ??= new Int8Array(BIN_COUNT).fill(-1)
  const counts = binCounts
  const slots = binSlots
  counts.fill(0)
  for (let i = 1; i < words.length; i += 2) {
    const bin = binOf(words[i] as number)
    counts[bin] = (counts[bin] as number) + 1
  }
  // Walk the bins once, in rank order: the bin of each rank, and the rank within that bin.
  const order = ranks.map((_, index) => index).sort((x, y) => (ranks[x] as number) - (ranks[y] as number))
  const binOfRank = ranks.map(() => 0)
  const rankInBin = ranks.map(() => 0)
  let before = 0
  let bin = 0
  for (const index of order) {
    const rank = ranks[index] as number
    while (before + (counts[bin] as number) <= rank) {
      before += counts[bin] as number
      bin += 1
    }
    binOfRank[index] = bin
    rankInBin[index] = rank - before
  }
  // Gather the wanted bins' values (one slice per distinct bin), then select within each.
  const bins = [...new Set(binOfRank)]
  const sliceStart: number[] = []
  let gathered = 0
  bins.forEach((wantedBin, slot) => {
    slots[wantedBin] = slot
    sliceStart.push(gathered)
    gathered += counts[wantedBin] as number
  })
  const buffer = new Float64Array(gathered)
  const cursor = [...sliceStart]
  for (let i = 0; i < count; i += 1) {
    const slot = slots[binOf(words[2 * i + 1] as number)] as number
    if (slot >= 0) {
      buffer[cursor[slot] as number] = values[start + i] as number
      cursor[slot] = (cursor[slot] as number) + 1
    }
  }
  for (const wantedBin of bins) {
    slots[wantedBin] = -1
  }
  return ranks.map((_, index) => {
    const slot = bins.indexOf(binOfRank[index] as number)
    const low = sliceStart[slot] as number
    const k = low + (rankInBin[index] as number)
    selectInPlace(buffer, low, low + (counts[binOfRank[index] as number] as number) - 1, k)
    return buffer[k] as number
  })
}
