/**
 * Rebuilds untrusted values as plain JSON data: no prototype pollution, no `__proto__` /
 * `constructor` / `prototype` keys, no cycles, nesting cut at 64 levels, strings and
 * containers cut to a byte budget with visible markers, base64 payloads replaced with
 * placeholders, binary objects summarised, getters and Proxies that throw contained. Each
 * oddity is counted and reported once per property as a warning.
 *
 * Copy on write: a plain object or array none of whose values changes is returned as it
 * is, not copied, so a copy shares every unchanged subtree with its source. Only the
 * containers on the way to a change are new. (Most events need no change at all, and
 * copying them whole was most of the cost of validation.)
 *
 * Sizes are counted while copying (UTF-8 bytes of the JSON text for content, UTF-16
 * units for other properties), so nothing is JSON-stringified to measure it.
 */

import { binaryObjectBytes, binaryPlaceholder, declaredMediaType, detectBase64Payload, formatBytes } from './binary'
import { describeError, describeValue, formatPath, type PathSegment } from './describe'
import { jsonStringBytes, measureJsonBytes, numberJsonLength } from './jsonBytes'
import type { EventProblem } from './validation.types'

/** Deepest nesting kept below a property; deeper values become a marker string. */
export const MAX_NESTING_DEPTH = 64

/** Longest string, in UTF-16 units, kept in a property that is not content; longer ones are cut with a marker. */
export const MAX_PROPERTY_STRING_CHARS = 65_536

/** Size budget, in UTF-16 units of their JSON, shared by all properties of an event that are not content. */
export const MAX_OTHER_PROPERTIES_CHARS = 1_000_000

/** Every marker aiscope writes where it cut content starts with this. */
export const TRUNCATION_MARKER_PREFIX = '[truncated by aiscope'

/** Every marker aiscope writes where it removed a value (cycles, unreadable values) starts with this. */
export const REMOVAL_MARKER_PREFIX = '[removed by aiscope'

/** Key added to an object whose remaining keys were cut to fit the budget. */
export const TRUNCATED_KEYS_MARKER_KEY = '[truncated by aiscope]'

const DEPTH_MARKER = `${TRUNCATION_MARKER_PREFIX}: nested deeper than ${MAX_NESTING_DEPTH} levels]`
const CYCLE_MARKER = `${REMOVAL_MARKER_PREFIX}: circular reference]`

/** Bytes kept free at the end of a cut string for its marker. */
const STRING_MARKER_RESERVE_BYTES = 64

/** Strings longer than this many UTF-16 units are not scanned to report their exact size. */
const MAX_SCANNED_CHARS = 16_000_000

/** Returned by {@link Sanitizer.sanitize} for values JSON leaves out (`undefined`, functions, symbols). */
export const OMITTED: unique symbol = Symbol('omitted')

/** A plain JSON value as the sanitizer produces it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }

/** A byte (or UTF-16 unit) budget shared by the values copied against it. */
export interface SizeBudget {
  /** Most units the values may take together. */
  limit: number
  /** Units taken so far. */
  used: number
  /** Units of strings cut away while copying (known exactly or from their length). @default 0 */
  removed?: number
  /** Items or keys were dropped whole while copying, so the original size is unknown. @default false */
  droppedItems?: boolean
}

/**
 * The longest prefix of `text` whose JSON string form (with quotes) fits in `maxBytes`,
 * never splitting a surrogate pair: `[prefixLength, prefixBytesWithoutQuotes]`.
 */
function prefixFitting(text: string, maxBytes: number): [number, number] {
  let bytes = 0
  const room = maxBytes - 2
  let index = 0
  while (index < text.length) {
    const code = text.charCodeAt(index)
    let width: number
    let units = 1
    if (code < 0x80) {
      width = code >= 0x20 && code !== 0x22 && code !== 0x5c ? 1 : code === 0x22 || code === 0x5c || (code >= 8 && code <= 13 && code !== 11) ? 2 : 6
    } else if (code < 0x800) {
      width = 2
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        width = 4
        units = 2
      } else {
        width = 6
      }
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      width = 6
    } else {
      width = 3
    }
    if (bytes + width > room) {
      break
    }
    bytes += width
    index += units
  }
  return [index, bytes]
}

/** `… [truncated by aiscope: 3.2 MB of 5.0 MB kept]` at the end of a cut string. */
const TRAILING_MARKER_PATTERN = /… \[truncated by aiscope: [^\]]* of (≥?\d+(?:\.\d+)? (?:B|kB|MB|GB)) kept\]$/

/** Size label of a string for its marker: exact up to 16M chars, a lower bound (`≥`) beyond. */
function originalSizeLabel(text: string): string {
  return text.length <= MAX_SCANNED_CHARS ? formatBytes(jsonStringBytes(text) - 2) : `≥${formatBytes(text.length)}`
}

/**
 * Cuts `text` so that its JSON form fits in about `maxBytes`, ending it with
 * `… [truncated by aiscope: <kept> of <original> kept]`. A string cut before keeps its
 * original size in the new marker.
 */
export function truncateString(text: string, maxBytes: number, originalLabel?: string): string {
  let body = text
  let label = originalLabel
  const tail = text.length > 96 ? text.slice(-96) : text
  const previous = TRAILING_MARKER_PATTERN.exec(tail)
  if (previous) {
    body = text.slice(0, text.length - previous[0].length)
    label = previous[1]
  }
  label ??= originalSizeLabel(body)
  const [prefixLength, prefixBytes] = prefixFitting(body, maxBytes - STRING_MARKER_RESERVE_BYTES)
  if (prefixLength === 0) {
    return `${TRUNCATION_MARKER_PREFIX}: 0 B of ${label} kept]`
  }
  return `${body.slice(0, prefixLength)}… ${TRUNCATION_MARKER_PREFIX}: ${formatBytes(prefixBytes)} of ${label} kept]`
}

/**
 * Shares `total` among items of the given sizes: items smaller than an equal share keep
 * their size, the others split what is left equally ("water-filling").
 */
export function shareFairly(sizes: readonly number[], total: number): number[] {
  const order = sizes.map((_, index) => index).sort((a, b) => (sizes[a] ?? 0) - (sizes[b] ?? 0))
  const shares = sizes.map(() => 0)
  let remaining = Math.max(0, total)
  for (let rank = 0; rank < order.length; rank++) {
    const index = order[rank] ?? 0
    const equalShare = remaining / (order.length - rank)
    const share = Math.min(sizes[index] ?? 0, equalShare)
    shares[index] = Math.floor(share)
    remaining -= shares[index] ?? 0
  }
  return shares
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Cuts a sanitized value until its JSON is at most about `maxBytes` (markers may add a
 * few dozen bytes): strings are cut with a marker; arrays keep their first item (the
 * system prompt, usually) and as many of the last items (the latest turns) as fit, with a
 * marker item between; objects share the room fairly among their values.
 */
export function shrinkToFit(value: unknown, maxBytes: number): unknown {
  const size = measureJsonBytes(value)
  if (size <= maxBytes) {
    return value
  }
  if (typeof value === 'string') {
    return truncateString(value, maxBytes)
  }
  if (Array.isArray(value)) {
    return shrinkArray(value, maxBytes)
  }
  if (isRecord(value)) {
    return shrinkRecord(value, maxBytes)
  }
  return value
}

/** Room, in bytes, of a marker item in a cut array (its comma included). */
const ARRAY_MARKER_RESERVE_BYTES = 72

function shrinkArray(items: readonly unknown[], maxBytes: number): unknown {
  const count = items.length
  if (maxBytes < ARRAY_MARKER_RESERVE_BYTES + 2) {
    return `${TRUNCATION_MARKER_PREFIX}: ${count} of ${count} items removed]`
  }
  const sizes = items.map(measureJsonBytes)
  let room = maxBytes - 2 - ARRAY_MARKER_RESERVE_BYTES
  const head: unknown[] = []
  let headEnd = 0
  if (count > 1 && (sizes[0] ?? 0) + 1 <= room / 2) {
    head.push(items[0])
    room -= (sizes[0] ?? 0) + 1
    headEnd = 1
  }
  let tailStart = count
  while (tailStart > headEnd && (sizes[tailStart - 1] ?? 0) + 1 <= room) {
    room -= (sizes[tailStart - 1] ?? 0) + 1
    tailStart--
  }
  const tail: unknown[] = items.slice(tailStart)
  if (tail.length === 0 && count > headEnd) {
    tail.push(shrinkToFit(items[count - 1], room - 1))
    tailStart = count - 1
  }
  if (tailStart === headEnd) {
    return [...head, ...tail]
  }
  // Items already cut while copying are counted through their marker, so the new marker
  // speaks of the original list.
  let removed = 0
  let originalCount = count
  for (let index = headEnd; index < tailStart; index++) {
    const earlier = typeof items[index] === 'string' ? ITEMS_MARKER_PATTERN.exec(items[index] as string) : null
    if (earlier) {
      removed += Number((earlier[1] ?? '0').replaceAll(',', ''))
      originalCount += Number((earlier[1] ?? '0').replaceAll(',', '')) - 1
    } else {
      removed++
    }
  }
  return [...head, `${TRUNCATION_MARKER_PREFIX}: ${removed.toLocaleString('en-US')} of ${originalCount.toLocaleString('en-US')} items removed]`, ...tail]
}

/** The marker of items cut from a list: `[truncated by aiscope: 12 of 40 items removed]`. */
const ITEMS_MARKER_PATTERN = /^\[truncated by aiscope: ([\d,]+) (?:of [\d,]+ items removed|more items)\]$/

function shrinkRecord(record: Record<string, unknown>, maxBytes: number): unknown {
  const keys = Object.keys(record)
  const overheads = keys.map((key) => jsonStringBytes(key) + 2)
  const overheadTotal = overheads.reduce((sum, bytes) => sum + bytes, 2)
  if (maxBytes < overheadTotal + keys.length * 8) {
    return `${TRUNCATION_MARKER_PREFIX}: object with ${keys.length} keys removed]`
  }
  const sizes = keys.map((key) => measureJsonBytes(record[key]))
  const shares = shareFairly(sizes, maxBytes - overheadTotal)
  const result: Record<string, unknown> = {}
  keys.forEach((key, index) => {
    const share = shares[index] ?? 0
    const value = record[key]
    result[key] = (sizes[index] ?? 0) <= share ? value : share < 24 ? `${TRUNCATION_MARKER_PREFIX}]` : shrinkToFit(value, share)
  })
  return result
}

type NoteKind = 'forbiddenKey' | 'cycle' | 'depth' | 'unreadable' | 'base64' | 'binary' | 'bigint' | 'nonFinite' | 'stringCut' | 'itemsCut' | 'notJson'

interface Note {
  count: number
  firstPath: string
  detail: string
  bytes: number
}

/** Options of one {@link Sanitizer.copyProperty} call. */
export interface CopyOptions {
  /** Replace base64 payloads with placeholders (content properties). */
  redactBase64: boolean
  /** Count exact UTF-8 JSON bytes (content) rather than UTF-16 units (other properties). */
  exactBytes: boolean
  /** Longest string kept, in the budget's unit. */
  maxStringSize: number
  /**
   * A top-level array keeps its first item and then its last items when the budget runs
   * out (message lists: the system prompt and the latest turns), rather than its first
   * items; cuts are left to the caller to report. @default false
   */
  keepEnds?: boolean
}

/**
 * Whether a container may be kept as it is when none of its values changes (`reuse`:
 * plain objects and arrays) or must always be copied (`copy`: null-prototype objects,
 * class instances, array subclasses), so that stored values are always plain.
 */
type ReuseMode = 'reuse' | 'copy'

/**
 * Copies values against a size budget and collects what it had to change. One instance
 * serves one event; call {@link copyProperty} per property, then read the warnings.
 */
export class Sanitizer {
  /** Warnings collected so far, one per property and kind of change. */
  readonly warnings: EventProblem[]
  private field = ''
  private readonly path: PathSegment[] = []
  private readonly ancestors: object[] = []
  /**
   * Every value read by the containers being copied, in reading order. A container copies
   * itself only once one of its values changes, from the values read before it here, so
   * that nothing (a getter, say) is read twice.
   */
  private readonly originals: unknown[] = []
  private budget: SizeBudget = { limit: Number.POSITIVE_INFINITY, used: 0 }
  private options: CopyOptions = { redactBase64: false, exactBytes: false, maxStringSize: MAX_PROPERTY_STRING_CHARS }
  /** Oddities met in the property being copied; made on the first one. */
  private notes: Map<NoteKind, Note> | undefined

  constructor(warnings: EventProblem[]) {
    this.warnings = warnings
  }

  /**
   * Copies one property value (or an envelope field) as plain JSON data, charging its size
   * to `budget`. Returns {@link OMITTED} for values JSON would leave out. Unchanged plain
   * objects and arrays in `value` are shared with the result, not copied: never mutate
   * the result's nested containers.
   */
  copyProperty(field: string, value: unknown, budget: SizeBudget, options: CopyOptions): unknown {
    this.field = field
    this.budget = budget
    this.options = options
    // Left empty by the previous copy unless it threw.
    if (this.path.length + this.ancestors.length + this.originals.length > 0) {
      this.path.length = 0
      this.ancestors.length = 0
      this.originals.length = 0
    }
    const copy = this.copy(value, undefined, undefined, 0)
    this.flushNotes()
    return copy
  }

  private note(kind: NoteKind, detail: string, bytes = 0): void {
    this.notes ??= new Map()
    const existing = this.notes.get(kind)
    if (existing) {
      existing.count++
      existing.bytes += bytes
      return
    }
    this.notes.set(kind, { count: 1, firstPath: formatPath(this.field, this.path), detail, bytes })
  }

  private flushNotes(): void {
    if (this.notes === undefined) {
      return
    }
    for (const [kind, note] of this.notes) {
      const where = note.count > 1 ? ` (${note.count} places; the first is named)` : ''
      this.warnings.push({ field: note.firstPath, reason: `${noteReason(kind, note)}${where}` })
    }
    this.notes = undefined
  }

  private charge(size: number): void {
    this.budget.used += size
  }

  private stringSize(text: string): number {
    return this.options.exactBytes ? jsonStringBytes(text) : text.length + 2
  }

  private copy(value: unknown, key: PathSegment | undefined, parent: unknown, depth: number): unknown {
    switch (typeof value) {
      case 'string':
        return this.copyString(value, key, parent)
      case 'number':
        if (Number.isFinite(value)) {
          this.charge(numberJsonLength(value))
          // -0 is not JSON: it prints as 0.
          return value === 0 ? 0 : value
        }
        this.note('nonFinite', String(value))
        this.charge(4)
        return null
      case 'boolean':
        this.charge(5)
        return value
      case 'bigint': {
        const text = value.toString()
        this.note('bigint', `${text}n`)
        this.charge(text.length + 2)
        return text
      }
      case 'undefined':
        return OMITTED
      case 'function':
      case 'symbol':
        this.note('notJson', typeof value === 'function' ? 'a function' : 'a symbol')
        return OMITTED
      case 'object':
        if (value === null) {
          this.charge(4)
          return null
        }
        return this.copyObject(value, key, parent, depth)
      default:
        return OMITTED
    }
  }

  private copyString(text: string, key: PathSegment | undefined, parent: unknown): string {
    let kept = text
    if (this.options.redactBase64 && kept.length >= 64) {
      const payload = detectBase64Payload(kept, key, parent)
      if (payload) {
        this.note('base64', payload.placeholder, payload.byteSize)
        kept = payload.placeholder
      }
    }
    const limit = Math.min(this.budget.limit - this.budget.used, this.options.maxStringSize)
    if (kept.length + 2 <= limit) {
      const size = this.stringSize(kept)
      if (size <= limit) {
        this.charge(size)
        return kept
      }
    }
    const originalSize = kept.length <= MAX_SCANNED_CHARS ? jsonStringBytes(kept) : kept.length + 2
    const originalLabel = kept.length <= MAX_SCANNED_CHARS ? formatBytes(originalSize - 2) : `≥${formatBytes(kept.length)}`
    const cut = truncateString(kept, Math.max(0, limit), originalLabel)
    if (!this.options.keepEnds) {
      this.note('stringCut', kept.length.toLocaleString('en-US'))
    }
    const cutSize = this.stringSize(cut)
    this.charge(cutSize)
    this.budget.removed = (this.budget.removed ?? 0) + Math.max(0, (this.options.exactBytes ? originalSize : kept.length + 2) - cutSize)
    return cut
  }

  private copyObject(value: object, key: PathSegment | undefined, parent: unknown, depth: number): unknown {
    if (depth >= MAX_NESTING_DEPTH) {
      this.note('depth', '')
      this.charge(DEPTH_MARKER.length + 2)
      return DEPTH_MARKER
    }
    if (this.ancestors.includes(value)) {
      this.note('cycle', '')
      this.charge(CYCLE_MARKER.length + 2)
      return CYCLE_MARKER
    }
    try {
      if (Array.isArray(value)) {
        return this.copyArray(value, depth)
      }
      const prototype: unknown = Object.getPrototypeOf(value)
      if (prototype === Object.prototype) {
        return this.copyRecord(value as Record<string, unknown>, depth, value, 'reuse')
      }
      if (prototype === null) {
        return this.copyRecord(value as Record<string, unknown>, depth, value, 'copy')
      }
      return this.copyExotic(value, key, parent, depth)
    } catch (error) {
      return this.unreadable(error)
    }
  }

  private unreadable(error: unknown): string {
    const detail = describeError(error)
    this.note('unreadable', detail)
    const marker = `${REMOVAL_MARKER_PREFIX}: reading it threw ${detail}]`
    this.charge(marker.length + 2)
    return marker
  }

  /** Class instances: binary data, dates, errors, boxed primitives, `toJSON`, maps and sets. */
  private copyExotic(value: object, key: PathSegment | undefined, parent: unknown, depth: number): unknown {
    const binaryBytes = binaryObjectBytes(value)
    if (binaryBytes !== undefined) {
      const placeholder = binaryPlaceholder(declaredMediaType(parent) ?? 'application/octet-stream', binaryBytes, 'bytes')
      this.note('binary', placeholder, binaryBytes)
      this.charge(placeholder.length + 2)
      return placeholder
    }
    if (value instanceof Date) {
      const time = value.getTime()
      return this.copy(Number.isNaN(time) ? null : value.toISOString(), key, parent, depth)
    }
    if (value instanceof Error) {
      // Null-prototype scratch objects: a `__proto__` key stays an ordinary key until copyRecord drops it.
      const plain = Object.create(null) as Record<string, unknown>
      plain.name = value.name
      plain.message = value.message
      if (typeof value.stack === 'string') {
        plain.stack = value.stack
      }
      for (const ownKey of Object.keys(value)) {
        plain[ownKey] = (value as unknown as Record<string, unknown>)[ownKey]
      }
      return this.copyRecord(plain, depth, value, 'copy')
    }
    if (value instanceof String || value instanceof Number || value instanceof Boolean) {
      return this.copy(value.valueOf(), key, parent, depth)
    }
    const toJSON = (value as { toJSON?: unknown }).toJSON
    if (typeof toJSON === 'function') {
      this.ancestors.push(value)
      try {
        const converted: unknown = toJSON.call(value, typeof key === 'number' ? String(key) : (key ?? ''))
        return converted === value ? {} : this.copy(converted, key, parent, depth + 1)
      } finally {
        this.ancestors.pop()
      }
    }
    if (value instanceof Map) {
      const entries = Object.create(null) as Record<string, unknown>
      for (const [entryKey, entryValue] of value) {
        entries[typeof entryKey === 'string' ? entryKey : describeValue(entryKey)] = entryValue
      }
      return this.copyRecord(entries, depth, value, 'copy')
    }
    if (value instanceof Set) {
      this.ancestors.push(value)
      try {
        // The spread array is this copy's own, so it may be kept as it is.
        return this.copyArray([...value], depth)
      } finally {
        this.ancestors.pop()
      }
    }
    return this.copyRecord(value as Record<string, unknown>, depth, value, 'copy')
  }

  /**
   * Reads `record[key]` once, pushes what was read onto {@link originals} and returns its
   * copy (the value itself when nothing in it changes). A read that throws becomes a marker.
   */
  private copyMember(record: Record<string, unknown>, key: string, depth: number): unknown {
    this.path.push(key)
    let copy: unknown
    try {
      const original = record[key]
      this.originals.push(original)
      copy = this.copy(original, key, record, depth + 1)
    } catch (error) {
      this.originals.push(undefined)
      copy = this.unreadable(error)
    }
    this.path.pop()
    return copy
  }

  /** {@link copyMember} for an array item: a read site of its own, which stays fast for arrays. */
  private copyItemAt(items: readonly unknown[], index: number, depth: number): unknown {
    this.path.push(index)
    let copy: unknown
    try {
      const original = items[index]
      this.originals.push(original)
      copy = this.copy(original, index, items, depth + 1)
    } catch (error) {
      this.originals.push(undefined)
      copy = this.unreadable(error)
    }
    this.path.pop()
    return copy
  }

  /** Drops the values read since `start` (a loop of pops: setting `length` is a slow call). */
  private forgetOriginals(start: number): void {
    while (this.originals.length > start) {
      this.originals.pop()
    }
  }

  /** Whether the value just copied by {@link copyMember} or {@link copyItemAt} came back as it was read. */
  private entryUnchanged(copy: unknown): boolean {
    // Object.is, not ===: -0 copied as 0 is a change.
    return Object.is(copy, this.originals[this.originals.length - 1])
  }

  /** Copies an array item; a value JSON leaves out becomes `null`, as in JSON. */
  private copyItem(items: readonly unknown[], index: number, depth: number): unknown {
    let item = this.copyItemAt(items, index, depth)
    if (item === OMITTED) {
      this.charge(4)
      item = null
    }
    this.charge(1)
    return item
  }

  private itemsCut(count: number, total?: number): string {
    const marker = total === undefined ? `${TRUNCATION_MARKER_PREFIX}: ${count.toLocaleString('en-US')} more items]` : `${TRUNCATION_MARKER_PREFIX}: ${count.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} items removed]`
    if (!this.options.keepEnds) {
      this.note('itemsCut', '')
    }
    this.budget.droppedItems = true
    this.charge(marker.length + 2)
    return marker
  }

  /** Copies an array; returns `items` itself when it is a plain array and no item changes. */
  private copyArray(items: readonly unknown[], depth: number): readonly unknown[] {
    const mode: ReuseMode = hasArrayPrototype(items) ? 'reuse' : 'copy'
    const length = items.length
    const start = this.originals.length
    this.ancestors.push(items)
    this.charge(2)
    const copy = this.options.keepEnds && depth === 0 && length > 2 ? this.copyArrayEnds(items, depth, mode) : this.copyArrayInOrder(items, depth, mode, start)
    this.ancestors.pop()
    this.forgetOriginals(start)
    return copy
  }

  private copyArrayInOrder(items: readonly unknown[], depth: number, mode: ReuseMode, start: number): readonly unknown[] {
    const length = items.length
    // Stays undefined while every item comes back unchanged.
    let copy: unknown[] | undefined
    for (let index = 0; index < length; index++) {
      if (this.budget.used >= this.budget.limit) {
        copy ??= this.originals.slice(start, start + index)
        copy.push(this.itemsCut(length - index))
        break
      }
      const item = this.copyItem(items, index, depth)
      if (copy !== undefined) {
        copy.push(item)
      } else if (!this.entryUnchanged(item)) {
        copy = this.originals.slice(start, start + index)
        copy.push(item)
      }
    }
    if (copy !== undefined) {
      return copy
    }
    return mode === 'reuse' ? items : this.originals.slice(start, start + length)
  }

  /** The first item, then items from the end backwards while the budget lasts. */
  private copyArrayEnds(items: readonly unknown[], depth: number, mode: ReuseMode): readonly unknown[] {
    const length = items.length
    const first = this.copyItem(items, 0, depth)
    let changed = !this.entryUnchanged(first)
    const tail: unknown[] = []
    let index = length - 1
    while (index >= 1 && this.budget.used < this.budget.limit) {
      const item = this.copyItem(items, index, depth)
      changed ||= !this.entryUnchanged(item)
      tail.push(item)
      index--
    }
    tail.reverse()
    if (index >= 1) {
      return [first, this.itemsCut(index, length), ...tail]
    }
    return changed || mode === 'copy' ? [first, ...tail] : items
  }

  /**
   * Copies own enumerable string keys into a new object; `source` is the object tracked for
   * cycles. With `'reuse'`, `record` itself is returned when no value changes and no key
   * is dropped.
   */
  private copyRecord(record: Record<string, unknown>, depth: number, source: object, mode: ReuseMode): Record<string, unknown> {
    const keys = Object.keys(record)
    const start = this.originals.length
    // Stays undefined while every value comes back unchanged: then `record` is the copy.
    let copy: Record<string, unknown> | undefined = mode === 'copy' ? {} : undefined
    this.ancestors.push(source)
    this.charge(2)
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string
      if (this.budget.used >= this.budget.limit) {
        if (!this.options.keepEnds) {
          this.note('itemsCut', '')
        }
        this.budget.droppedItems = true
        copy ??= this.recordFromOriginals(keys, index, start)
        copy[TRUNCATED_KEYS_MARKER_KEY] = `${(keys.length - index).toLocaleString('en-US')} more keys removed`
        this.charge(48)
        break
      }
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        this.path.push(key)
        this.note('forbiddenKey', key)
        this.path.pop()
        copy ??= this.recordFromOriginals(keys, index, start)
        continue
      }
      const item = this.copyMember(record, key, depth)
      if (copy === undefined && !this.entryUnchanged(item)) {
        copy = this.recordFromOriginals(keys, index, start)
      }
      if (copy !== undefined && item !== OMITTED) {
        copy[key] = item
      }
      if (item !== OMITTED) {
        this.charge(this.stringSize(key) + 2)
      }
    }
    this.ancestors.pop()
    this.forgetOriginals(start)
    return copy ?? record
  }

  /** A new object of the first `count` keys of a record, with the values read for them (all unchanged). */
  private recordFromOriginals(keys: readonly string[], count: number, start: number): Record<string, unknown> {
    const copy: Record<string, unknown> = {}
    for (let index = 0; index < count; index++) {
      copy[keys[index] as string] = this.originals[start + index]
    }
    return copy
  }
}

/** True for arrays made by this realm's `Array` (not subclasses), which may be kept as they are. */
function hasArrayPrototype(items: readonly unknown[]): boolean {
  try {
    return Object.getPrototypeOf(items) === Array.prototype
  } catch {
    return false
  }
}

function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return count === 1 ? singular : pluralForm
}

function noteReason(kind: NoteKind, note: Note): string {
  switch (kind) {
    case 'forbiddenKey':
      return `key "${note.detail}" dropped: keys __proto__, constructor and prototype are never stored`
    case 'cycle':
      return `circular reference replaced with the marker "${CYCLE_MARKER}"`
    case 'depth':
      return `nested deeper than ${MAX_NESTING_DEPTH} levels; cut with the marker "${DEPTH_MARKER}"`
    case 'unreadable':
      return `reading the value threw ${note.detail}; replaced with a marker`
    case 'base64':
      return `${note.count} base64 ${plural(note.count, 'payload')} (${formatBytes(note.bytes)} decoded) replaced with ${plural(note.count, 'a placeholder', 'placeholders')} such as "${note.detail}"`
    case 'binary':
      return `${note.count} binary ${plural(note.count, 'value')} (${formatBytes(note.bytes)}) replaced with ${plural(note.count, 'a placeholder', 'placeholders')} such as "${note.detail}"`
    case 'bigint':
      return `expected JSON data, got the BigInt ${note.detail}; stored as a string of digits`
    case 'nonFinite':
      return `expected JSON data, got ${note.detail}; stored as null`
    case 'stringCut':
      return `string of ${note.detail} chars is over the size limit; cut with a "${TRUNCATION_MARKER_PREFIX}: …]" marker`
    case 'itemsCut':
      return `over the size limit; the remaining items were cut with a "${TRUNCATION_MARKER_PREFIX}: …]" marker`
    case 'notJson':
      return `expected JSON data, got ${note.detail}; dropped`
    default:
      return kind satisfies never
  }
}
