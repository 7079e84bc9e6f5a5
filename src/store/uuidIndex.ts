/**
 * Which stored batch may hold a given event uuid, in 12 bytes per event: a 64-bit
 * fingerprint and a batch id in typed arrays, with open addressing. A `Set` of a million
 * uuid strings costs over 100 MB of worker heap; this costs 12 MB at most (at half load).
 * A fingerprint match is only a candidate: the store confirms it against the batch's
 * uuid list, so a hash collision can never drop an event.
 */
export class UuidIndex {
  #fingerprintHigh: Uint32Array
  #fingerprintLow: Uint32Array
  /** 0 marks an empty slot; IndexedDB auto-increment ids start at 1. */
  #batchIds: Uint32Array
  #size = 0

  constructor(initialCapacity = 1024) {
    const capacity = 2 ** Math.ceil(Math.log2(Math.max(16, initialCapacity)))
    this.#fingerprintHigh = new Uint32Array(capacity)
    this.#fingerprintLow = new Uint32Array(capacity)
    this.#batchIds = new Uint32Array(capacity)
  }

  /** Number of uuids indexed. */
  get size(): number {
    return this.#size
  }

  /** Records that `uuid` is stored in batch `batchId` (a positive integer). */
  add(uuid: string, batchId: number): void {
    this.addFingerprint(fingerprintHigh(uuid), fingerprintLow(uuid), batchId)
  }

  /** Records the uuids whose {@link uuidFingerprints} are given as stored in batch `batchId`. */
  addFingerprints(fingerprints: Uint32Array, batchId: number): void {
    for (let index = 0; index + 1 < fingerprints.length; index += 2) {
      this.addFingerprint(fingerprints[index] as number, fingerprints[index + 1] as number, batchId)
    }
  }

  addFingerprint(high: number, low: number, batchId: number): void {
    if (this.#size * 2 >= this.#batchIds.length) {
      this.#grow()
    }
    this.#insert(high, low, batchId)
    this.#size += 1
  }

  /** Batches that may hold `uuid`: empty when it is certainly not stored. */
  candidateBatchIds(uuid: string): number[] {
    const high = fingerprintHigh(uuid)
    const low = fingerprintLow(uuid)
    const mask = this.#batchIds.length - 1
    const candidates: number[] = []
    for (let slot = low & mask; this.#batchIds[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.#fingerprintHigh[slot] === high && this.#fingerprintLow[slot] === low) {
        candidates.push(this.#batchIds[slot] as number)
      }
    }
    return candidates
  }

  /** Forgets every uuid. */
  clear(): void {
    this.#fingerprintHigh.fill(0)
    this.#fingerprintLow.fill(0)
    this.#batchIds.fill(0)
    this.#size = 0
  }

  #insert(high: number, low: number, batchId: number): void {
    const mask = this.#batchIds.length - 1
    let slot = low & mask
    while (this.#batchIds[slot] !== 0) {
      slot = (slot + 1) & mask
    }
    this.#fingerprintHigh[slot] = high
    this.#fingerprintLow[slot] = low
    this.#batchIds[slot] = batchId
  }

  #grow(): void {
    const high = this.#fingerprintHigh
    const low = this.#fingerprintLow
    const batchIds = this.#batchIds
    const capacity = batchIds.length * 2
    this.#fingerprintHigh = new Uint32Array(capacity)
    this.#fingerprintLow = new Uint32Array(capacity)
    this.#batchIds = new Uint32Array(capacity)
    for (let slot = 0; slot < batchIds.length; slot += 1) {
      if (batchIds[slot] !== 0) {
        this.#insert(high[slot] as number, low[slot] as number, batchIds[slot] as number)
      }
    }
  }
}

/**
 * The 64-bit fingerprints of `uuids`, two 32-bit halves each (high, low): what the store
 * keeps beside each batch so the index can be rebuilt without reading the uuid strings.
 */
export function uuidFingerprints(uuids: readonly string[]): Uint32Array {
  const fingerprints = new Uint32Array(uuids.length * 2)
  uuids.forEach((uuid, index) => {
    fingerprints[index * 2] = fingerprintHigh(uuid)
    fingerprints[index * 2 + 1] = fingerprintLow(uuid)
  })
  return fingerprints
}

/** FNV-1a over the UTF-16 code units. */
function fingerprintHigh(text: string): number {
  let hash = 0x811c9dc5
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193)
  }
  return hash >>> 0
}

/** A second, independent 32-bit hash (murmur3-style mixing), also used for the slot. */
function fingerprintLow(text: string): number {
  let hash = 0x9747b28c
  for (let index = 0; index < text.length; index += 1) {
    hash = Math.imul(hash ^ text.charCodeAt(index), 0x5bd1e995)
    hash ^= hash >>> 13
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b)
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35)
  return (hash ^ (hash >>> 16)) >>> 0
}
