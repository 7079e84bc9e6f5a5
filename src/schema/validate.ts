/**
 * `validateEvent`: checks one incoming event and normalises it the way PostHog's ingestion
 * does, so events from `@posthog/ai`, `posthog-node`, `posthog-js` and PostHog exports are
 * stored as they would be in PostHog. It takes anything and never throws.
 *
 * **Problems (the event is rejected; every problem of the event is reported):**
 *
 * | field | when |
 * | --- | --- |
 * | `input` | the input is not an object (`null`, arrays, numbers, strings) or cannot be read at all |
 * | `event` | missing, empty or not a string |
 * | `properties` | not an object (a JSON string of an object is accepted), or unreadable |
 * | `timestamp` | not an ISO 8601 string, a positive epoch number or a numeric string; an impossible date; outside 1970–9999 |
 * | `distinct_id` | missing on a non-AI event (AI events fall back to `$ai_trace_id`), or not a string/number |
 * | tokens, counts (`$ai_*_tokens`, `$ai_web_search_count`, `$ai_request_count`) | not a non-negative integer: negative, fractional, `NaN`, `Infinity`, non-numeric strings, booleans, objects |
 * | `$ai_latency`, `$ai_time_to_first_token` | not seconds as a finite number ≥ 0 (`"12ms"`, `-1`, `NaN`) |
 * | costs (`$ai_*_cost_usd`) and prices (`$ai_*_price`) | not a finite number ≥ 0 |
 * | `$ai_trace_id` | missing (or unusable) on `$ai_generation`, `$ai_embedding`, `$ai_span`, `$ai_trace`, `$ai_metric`, `$ai_feedback`; on `$ai_evaluation` when `$ai_target_event_id` and `$ai_target_id` are missing too |
 * | `$ai_interaction` | on `$ai_interaction` events: missing or not one of `INTERACTION_KINDS` |
 * | `$ai_generation_id` | on `$ai_interaction` events: neither it nor `$ai_trace_id` is set |
 * | `$exception_list` | on `$exception` events: missing and not buildable from `$exception_type` / `$exception_message` |
 * | `$feature_flag` | on `$feature_flag_called` events: missing |
 *
 * **Normalised, with a warning (the event is kept):** numeric strings in number fields
 * (`"120"` → `120`); `'true'`/`'false'` and `1`/`0` in boolean fields; numbers and booleans
 * in string fields; epoch seconds, microseconds or nanoseconds in `timestamp` (told apart by
 * magnitude: < 1e11 seconds, < 1e14 ms, < 1e17 µs, else ns); a timestamp more than a day in
 * the future; wrong-typed ids (objects are dropped) and other wrong-typed known
 * properties (dropped); `__proto__` / `constructor` / `prototype` keys (dropped);
 * cycles, nesting deeper than 64, values whose getters throw, BigInts, `NaN`/`Infinity`
 * in JSON (markers, strings, `null`); content over `maxContentBytes` (cut with
 * `[truncated by aiscope: …]` markers); base64 payloads and binary data in content
 * (placeholders like `[image/png base64, 48.2 kB]`); non-content strings over 65,536 chars;
 * a missing `$ai_model` / `$ai_provider` on generations and embeddings; a missing
 * `$current_url` on page views or `$feature_flag_response` on flag events; unknown
 * top-level keys (dropped).
 *
 * **Normalised silently, as PostHog's ingestion and SDK do:** `uuid` made with `makeUuid`
 * when absent; `distinct_id` numbers to strings, and a missing `distinct_id` on an `$ai_*`
 * event set to `$ai_trace_id` with `$process_person_profile: false`; ids (`$ai_trace_id`,
 * `$ai_parent_id`, `$ai_span_id`, `$ai_generation_id`, `$ai_session_id`, ...) from
 * numbers, booleans and BigInts to strings; ISO timestamps to UTC ISO strings (no offset
 * means UTC); `null` in typed fields removed; `$ai_error` parsed into an object
 * (`{ message }` for plain text); `$ai_error_normalized` for errors; `$ai_temperature`,
 * `$ai_stream`, `$ai_max_tokens` from `$ai_model_parameters`; `$ai_tools_called` and
 * `$ai_tool_call_count` from `$ai_output_choices`; `$ai_cache_reporting_exclusive`
 * resolved per provider; `$pathname` from `$current_url`; top-level `$set`, `$set_once`,
 * `$session_id` moved into properties. Explicit values are never overwritten.
 */

import { formatBytes } from './binary'
import { describeError, describeValue, fieldName } from './describe'
import { errorGroupingText, normalizeErrorText, UNKNOWN_ERROR_TEXT } from './errorNormalization'
import { INTERACTION_EVENT, type AiscopeEvent } from './events'
import { measureJsonBytes } from './jsonBytes'
import { toolCallNames } from './messages'
import { NOT_PLAIN, plainJsonSize } from './plainJsonSize'
import { AI_PROPERTY_SPECS, propertySpec, type PropertySpec } from './propertySpecs'
import {
  MAX_OTHER_PROPERTIES_CHARS,
  MAX_PROPERTY_STRING_CHARS,
  OMITTED,
  Sanitizer,
  shareFairly,
  shrinkToFit,
  type CopyOptions,
  type SizeBudget,
} from './sanitize'
import { readTimestamp } from './timestamps'
import type { EventProblem, ValidateOptions, ValidationResult } from './validation.types'

/** Default of `ValidateOptions.maxContentBytes`: content of one event, in UTF-8 bytes of its JSON. */
export const DEFAULT_MAX_CONTENT_BYTES = 1_000_000

/** Longest event name kept; longer names are cut (PostHog's limit). */
export const MAX_EVENT_NAME_CHARS = 200

/** Longest id kept; longer ids are dropped with a warning. */
export const MAX_ID_CHARS = 1000

/** A timestamp further ahead of `nowMs` than this gets a warning. */
const FUTURE_TOLERANCE_MS = 86_400_000

/** `$ai_output_choices` strings longer than this are not searched for tool calls (PostHog's limit). */
const MAX_TOOL_EXTRACTION_CHARS = 500_000

/** `$ai_error` strings longer than this are not parsed as JSON. */
const MAX_PARSED_ERROR_CHARS = 65_536

/** Events whose `$ai_trace_id` is required: PostHog's AI event types. */
const TRACE_REQUIRED_EVENTS: ReadonlySet<string> = new Set(['$ai_generation', '$ai_embedding', '$ai_span', '$ai_trace', '$ai_metric', '$ai_feedback'])

/** Top-level keys moved into `properties` when the properties do not have them. */
const HOISTED_ENVELOPE_KEYS = ['$set', '$set_once', '$session_id', '$window_id'] as const

/** Top-level keys of PostHog payloads and exports that carry nothing aiscope stores; dropped silently. */
const IGNORED_ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  'api_key',
  'token',
  'sent_at',
  'type',
  'library',
  'created_at',
  'elements_chain',
  'elements',
  'person',
  'person_id',
  'person_properties',
  'person_created_at',
  'person_mode',
  'offset',
  'now',
  'ip',
  'site_url',
  'team_id',
  'project_id',
  '_inserted_at',
  '_timestamp',
  'inserted_at',
  'id',
])

/** Whether a top-level key is one of the five an event is made of (most events have no others). */
function isCoreEnvelopeKey(key: string): boolean {
  return key === 'event' || key === 'properties' || key === 'uuid' || key === 'distinct_id' || key === 'timestamp'
}

/** Whether a top-level key is one aiscope reads, moves into properties or drops silently. */
function isKnownEnvelopeKey(key: string): boolean {
  return (
    isCoreEnvelopeKey(key) ||
    (HOISTED_ENVELOPE_KEYS as readonly string[]).includes(key) ||
    IGNORED_ENVELOPE_KEYS.has(key) ||
    /^(?:group\d_|person_)/.test(key)
  )
}

/** The trace-id characters PostHog documents: letters, digits and `- _ ~ . @ ( ) ! ' : |`. */
const TRACE_ID_CHARACTERS = /^[A-Za-z0-9\-_~.@()!':|]+$/

/** Specs of the properties derived from `$ai_model_parameters`, at hand: cheaper than a keyed read of the 150-entry table. */
const DERIVED_PARAMETER_SPECS = {
  $ai_temperature: AI_PROPERTY_SPECS.$ai_temperature,
  $ai_stream: AI_PROPERTY_SPECS.$ai_stream,
  $ai_max_tokens: AI_PROPERTY_SPECS.$ai_max_tokens,
} as const satisfies Record<string, PropertySpec>

/** A plain decimal number in a string, optionally signed, with an optional exponent. */
const NUMERIC_STRING = /^\s*[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?\s*$/

const OTHER_COPY: CopyOptions = { redactBase64: false, exactBytes: false, maxStringSize: MAX_PROPERTY_STRING_CHARS }

/** How content is copied with the default `maxContentBytes`. */
const DEFAULT_CONTENT_COPY: CopyOptions = { redactBase64: true, exactBytes: true, maxStringSize: DEFAULT_MAX_CONTENT_BYTES, keepEnds: true }

/** How content is copied: strings up to the event's whole content limit. */
function contentCopyOptions(maxContentBytes: number): CopyOptions {
  return maxContentBytes === DEFAULT_MAX_CONTENT_BYTES ? DEFAULT_CONTENT_COPY : { ...DEFAULT_CONTENT_COPY, maxStringSize: maxContentBytes }
}

type UnknownRecord = Record<string, unknown>

function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Makes a v4 UUID where `crypto.randomUUID` is missing (insecure contexts). */
function fallbackUuid(): string {
  const bytes = new Uint8Array(16)
  const cryptoApi = (globalThis as { crypto?: Crypto }).crypto
  if (cryptoApi && typeof cryptoApi.getRandomValues === 'function') {
    cryptoApi.getRandomValues(bytes)
  } else {
    for (let index = 0; index < bytes.length; index++) {
      bytes[index] = Math.floor(Math.random() * 256)
    }
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** `crypto.randomUUID` where it exists, a `getRandomValues` v4 UUID elsewhere. */
function defaultMakeUuid(): string {
  const cryptoApi = (globalThis as { crypto?: Crypto }).crypto
  return cryptoApi && typeof cryptoApi.randomUUID === 'function' ? cryptoApi.randomUUID() : fallbackUuid()
}

/** What a number field expects, for messages: `seconds as a finite number >= 0`. */
function expectation(spec: PropertySpec): string {
  switch (spec.kind) {
    case 'integer':
      return `a non-negative integer${spec.unit ? ` (${spec.unit})` : ''}`
    case 'seconds':
      return 'seconds as a finite number >= 0'
    case 'usd':
    case 'usdPerToken':
      return `${spec.unit ?? 'USD'} as a finite number >= 0`
    case 'number':
      return 'a finite number'
    case 'id':
      return 'a string id (numbers, booleans and BigInts are turned into strings)'
    case 'string':
      return 'a string'
    case 'boolean':
      return 'true or false'
    case 'timestamp':
      return 'an ISO 8601 string or ms since epoch'
    case 'enum':
      return `one of ${(spec.values ?? []).join(', ')}`
    case 'scalar':
      return 'a string, number or boolean'
    case 'object':
      return 'a JSON object'
    case 'exceptionList':
      return 'a non-empty array of {type, value, mechanism, stacktrace?}'
    case 'json':
    case 'content':
    case 'error':
      return 'JSON data'
    default:
      return spec.kind satisfies never
  }
}

type NumberReading = { ok: true; value: number; fromText: boolean } | { ok: false }

/** Reads a number field: numbers, safe BigInts and numeric strings, checked against the field's kind. */
function readNumber(value: unknown, spec: PropertySpec): NumberReading {
  let number: number
  let fromText = false
  if (typeof value === 'number') {
    number = value
  } else if (typeof value === 'bigint') {
    number = Number(value)
    if (!Number.isSafeInteger(number)) {
      return { ok: false }
    }
  } else if (typeof value === 'string' && value.length < 64 && NUMERIC_STRING.test(value)) {
    number = Number(value)
    fromText = true
  } else {
    return { ok: false }
  }
  if (!Number.isFinite(number)) {
    return { ok: false }
  }
  if (spec.kind !== 'number' && number < 0) {
    return { ok: false }
  }
  if (spec.kind === 'integer' && !Number.isInteger(number)) {
    return { ok: false }
  }
  return { ok: true, value: number === 0 ? 0 : number, fromText }
}

function readBoolean(value: unknown): { ok: true; value: boolean; converted: boolean } | { ok: false } {
  if (typeof value === 'boolean') {
    return { ok: true, value, converted: false }
  }
  if (typeof value === 'string') {
    const lower = value.trim().toLowerCase()
    if (lower === 'true' || lower === 'false') {
      return { ok: true, value: lower === 'true', converted: true }
    }
  }
  if (value === 1 || value === 0) {
    return { ok: true, value: value === 1, converted: true }
  }
  return { ok: false }
}

/** Resolution of `$ai_cache_reporting_exclusive` when it is absent, as PostHog's cost step does. */
export function resolveCacheReportingExclusive(properties: Readonly<UnknownRecord>): boolean {
  const explicit = properties.$ai_cache_reporting_exclusive
  if (typeof explicit === 'boolean') {
    return explicit
  }
  const lower = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase() : '')
  const provider = lower(properties.$ai_provider)
  const model = lower(properties.$ai_model)
  const anthropicLike = provider === 'anthropic' || model.includes('anthropic') || model.startsWith('claude')
  if (!anthropicLike) {
    return false
  }
  if (provider === 'gateway' && lower(properties.$ai_framework) === 'vercel') {
    // Vercel AI Gateway counts cache tokens inside the input, unless the numbers show otherwise.
    const count = (value: unknown): number => (typeof value === 'number' ? value : 0)
    return count(properties.$ai_input_tokens) < count(properties.$ai_cache_read_input_tokens) + count(properties.$ai_cache_creation_input_tokens)
  }
  return true
}

interface ContentField {
  key: string
  value: unknown
}

/** A content property as copied, with what its copy tells about cutting it. */
interface ContentCopy {
  key: string
  /** The value to store (the input's own value when it needed no change), or `OMITTED`. */
  copy: unknown
  /** Its size as the sanitizer charges it: JSON bytes, give or take a byte per container. */
  size: number
  /** The size before anything was cut while copying. */
  originalSize: number
  /** Strings were cut or items dropped while copying. */
  cutWhileCopying: boolean
  /** Items were dropped whole, so the original size is a lower bound. */
  droppedItems: boolean
}

/** State of one `validateEvent` call. */
class EventValidation {
  readonly problems: EventProblem[] = []
  readonly warnings: EventProblem[] = []
  /** Made on first use: most events have nothing to sanitize. */
  private sanitizerInstance: Sanitizer | undefined
  private readonly otherBudget: SizeBudget = { limit: MAX_OTHER_PROPERTIES_CHARS, used: 0 }
  private readonly maxContentBytes: number
  private readonly nowMs: number
  private readonly makeUuid: () => string
  /** Known properties dropped for an invalid value, kept to describe them in problems; made on first use. */
  private dropped: Map<string, unknown> | undefined
  private readonly properties: UnknownRecord = {}
  private readonly contentFields: ContentField[] = []
  private errorText: string | undefined

  constructor(options: ValidateOptions | undefined) {
    const maxContentBytes = options?.maxContentBytes
    this.maxContentBytes = typeof maxContentBytes === 'number' && maxContentBytes > 0 && Number.isFinite(maxContentBytes) ? maxContentBytes : DEFAULT_MAX_CONTENT_BYTES
    const nowMs = options?.nowMs
    this.nowMs = typeof nowMs === 'number' && Number.isFinite(nowMs) ? nowMs : Date.now()
    this.makeUuid = typeof options?.makeUuid === 'function' ? options.makeUuid : defaultMakeUuid
  }

  private get sanitizer(): Sanitizer {
    this.sanitizerInstance ??= new Sanitizer(this.warnings)
    return this.sanitizerInstance
  }

  private setDropped(key: string, value: unknown): void {
    this.dropped ??= new Map()
    this.dropped.set(key, value)
  }

  private problem(field: string, reason: string): void {
    this.problems.push({ field: fieldName(field), reason })
  }

  private warn(field: string, reason: string): void {
    this.warnings.push({ field: fieldName(field), reason })
  }

  run(input: unknown): ValidationResult {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      this.problem('input', `expected an event object {event, properties, timestamp, distinct_id, uuid}, got ${describeValue(input)}`)
      return { ok: false, problems: this.problems }
    }
    const envelope = input as UnknownRecord
    let envelopeKeys: string[]
    try {
      envelopeKeys = Object.keys(envelope)
    } catch (error) {
      this.problem('input', `expected an event object, got an object that cannot be read (reading it threw ${describeError(error)})`)
      return { ok: false, problems: this.problems }
    }
    const read = (key: string): unknown => {
      try {
        return envelope[key]
      } catch (error) {
        this.problem(key, `could not be read: reading it threw ${describeError(error)}`)
        return undefined
      }
    }

    const eventName = this.readEventName(read('event'))
    this.readProperties(read('properties'))
    if (!envelopeKeys.every(isCoreEnvelopeKey)) {
      this.hoistEnvelopeKeys(envelopeKeys, read)
      this.warnUnknownEnvelopeKeys(envelopeKeys)
    }
    this.processContent()
    if (eventName !== undefined) {
      this.checkEvent(eventName)
    }
    const uuid = this.readUuid(read('uuid'))
    const distinctId = this.readDistinctId(read('distinct_id'), eventName)
    const timestamp = this.readTimestampField(read('timestamp'))

    if (this.problems.length > 0 || eventName === undefined || distinctId === undefined || timestamp === undefined) {
      if (this.problems.length === 0) {
        this.problem('input', 'could not be normalised')
      }
      return { ok: false, problems: this.problems }
    }
    const event: AiscopeEvent = { event: eventName, uuid, distinct_id: distinctId, timestamp, properties: this.properties }
    return { ok: true, event, warnings: this.warnings }
  }

  // -------------------------------------------------------------------------------------
  // Envelope
  // -------------------------------------------------------------------------------------

  private readEventName(value: unknown): string | undefined {
    if (typeof value !== 'string' || value.trim().length === 0) {
      this.problem('event', `expected a non-empty string event name such as "$ai_generation", got ${describeValue(value)}`)
      return undefined
    }
    if (value.length > MAX_EVENT_NAME_CHARS) {
      this.warn('event', `event name of ${value.length} chars is over ${MAX_EVENT_NAME_CHARS}; cut to ${MAX_EVENT_NAME_CHARS}`)
      return value.slice(0, MAX_EVENT_NAME_CHARS)
    }
    return value
  }

  private readProperties(value: unknown): void {
    let properties = value
    if (properties === undefined || properties === null) {
      return
    }
    if (typeof properties === 'string') {
      try {
        properties = JSON.parse(properties)
      } catch {
        // Reported below as not an object.
      }
      if (isRecord(properties)) {
        this.warn('properties', 'expected an object, got a JSON string of one; parsed')
      } else {
        this.problem('properties', `expected an object of properties, got ${describeValue(value)}`)
        return
      }
    }
    if (!isRecord(properties)) {
      this.problem('properties', `expected an object of properties, got ${describeValue(value)}`)
      return
    }
    let keys: string[]
    try {
      keys = Object.keys(properties)
    } catch (error) {
      this.problem('properties', `expected an object of properties, got an object that cannot be read (reading it threw ${describeError(error)})`)
      return
    }
    const source = properties
    for (const key of keys) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
        this.warn(key, `key "${key}" dropped: keys __proto__, constructor and prototype are never stored`)
        continue
      }
      let propertyValue: unknown
      try {
        propertyValue = source[key]
      } catch (error) {
        this.warn(key, `reading the value threw ${describeError(error)}; dropped`)
        continue
      }
      this.readProperty(key, propertyValue)
    }
  }

  private hoistEnvelopeKeys(envelopeKeys: readonly string[], read: (key: string) => unknown): void {
    for (const key of HOISTED_ENVELOPE_KEYS) {
      if (envelopeKeys.includes(key) && this.properties[key] === undefined) {
        this.readProperty(key, read(key))
      }
    }
  }

  private warnUnknownEnvelopeKeys(envelopeKeys: readonly string[]): void {
    if (envelopeKeys.every(isKnownEnvelopeKey)) {
      return
    }
    const unknown = envelopeKeys.filter((key) => !isKnownEnvelopeKey(key))
    const shown = unknown.slice(0, 5).map((key) => JSON.stringify(key.length > 40 ? `${key.slice(0, 39)}…` : key))
    this.warn('input', `unknown top-level ${unknown.length === 1 ? 'key' : 'keys'} ${shown.join(', ')}${unknown.length > 5 ? ` and ${unknown.length - 5} more` : ''} dropped; put custom data in properties`)
  }

  private readUuid(value: unknown): string {
    if (typeof value === 'string' && value.length > 0) {
      return value
    }
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'bigint') {
      this.warn('uuid', `expected a string, got ${describeValue(value)}; converted to a string`)
      return String(value)
    }
    if (value !== undefined && value !== null && value !== '') {
      this.warn('uuid', `expected a string, got ${describeValue(value)}; a new uuid was made`)
    }
    try {
      const made = this.makeUuid()
      if (typeof made === 'string' && made.length > 0) {
        return made
      }
      this.warn('uuid', `makeUuid returned ${describeValue(made)}; a random uuid was made instead`)
    } catch (error) {
      this.warn('uuid', `makeUuid threw ${describeError(error)}; a random uuid was made instead`)
    }
    return fallbackUuid()
  }

  private readDistinctId(value: unknown, eventName: string | undefined): string | undefined {
    let candidate = value
    if (candidate === undefined || candidate === null || candidate === '') {
      // posthog-js puts the distinct id in the properties.
      candidate = this.properties.distinct_id ?? this.properties.$distinct_id
    }
    if (typeof candidate === 'string' && candidate.length > 0) {
      return candidate
    }
    if ((typeof candidate === 'number' && Number.isFinite(candidate)) || typeof candidate === 'bigint') {
      return String(candidate)
    }
    const traceId = this.properties.$ai_trace_id
    if ((candidate === undefined || candidate === null || candidate === '') && eventName?.startsWith('$ai_') && typeof traceId === 'string') {
      // What @posthog/ai does for calls without a distinct id: an anonymous, trace-scoped user.
      if (this.properties.$process_person_profile === undefined) {
        this.properties.$process_person_profile = false
      }
      return traceId
    }
    if (candidate === undefined || candidate === null || candidate === '') {
      this.problem('distinct_id', `expected a non-empty string or number identifying the user, got ${describeValue(value)} (only $ai_* events with an $ai_trace_id fall back to the trace id)`)
    } else {
      this.problem('distinct_id', `expected a non-empty string or number identifying the user, got ${describeValue(candidate)}`)
    }
    return undefined
  }

  private readTimestampField(value: unknown): string | undefined {
    if (value === undefined || value === null) {
      return new Date(this.nowMs).toISOString()
    }
    let reading
    try {
      reading = readTimestamp(value)
    } catch (error) {
      this.problem('timestamp', `expected an ISO 8601 string or ms since epoch, got a value that cannot be read (reading it threw ${describeError(error)})`)
      return undefined
    }
    if (!reading.ok) {
      this.problem('timestamp', `expected ${reading.expected}, got ${describeValue(value)}`)
      return undefined
    }
    if (reading.note !== undefined) {
      this.warn('timestamp', `got ${describeValue(value)}; ${reading.note}: ${reading.iso}`)
    }
    if (reading.timeMs > this.nowMs + FUTURE_TOLERANCE_MS) {
      const days = (reading.timeMs - this.nowMs) / FUTURE_TOLERANCE_MS
      this.warn('timestamp', `${reading.iso} is ${days.toFixed(1)} days after now (${new Date(this.nowMs).toISOString()}); check the sender's clock and units`)
    }
    return reading.iso
  }

  // -------------------------------------------------------------------------------------
  // Properties
  // -------------------------------------------------------------------------------------

  /** Copies a host's own property (or a JSON-kind one) as plain JSON against the shared budget. */
  private copyOther(key: string, value: unknown): unknown {
    if (typeof value === 'string' && value.length <= MAX_PROPERTY_STRING_CHARS && this.otherBudget.used + value.length < this.otherBudget.limit) {
      this.otherBudget.used += value.length + 2
      return value
    }
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
      this.otherBudget.used += 8
      return value
    }
    // Kept as it is when the sanitizer would neither change it nor run out of budget in it.
    const plainSize = plainJsonSize(value, this.otherBudget.limit - this.otherBudget.used - 1, OTHER_COPY)
    if (plainSize !== NOT_PLAIN) {
      this.otherBudget.used += plainSize
      return value
    }
    return this.sanitizer.copyProperty(key, value, this.otherBudget, OTHER_COPY)
  }

  /**
   * Copies a known property against a budget of its own, so that a host's huge property
   * can never crowd out `$ai_model` or `$ai_error`.
   */
  private copyKnown(key: string, value: unknown): unknown {
    if (typeof value === 'string' && value.length <= MAX_PROPERTY_STRING_CHARS) {
      return value
    }
    // Kept as it is when the sanitizer would keep it as it is.
    if (plainJsonSize(value, MAX_OTHER_PROPERTIES_CHARS - 1, OTHER_COPY) !== NOT_PLAIN) {
      return value
    }
    return this.sanitizer.copyProperty(key, value, { limit: MAX_OTHER_PROPERTIES_CHARS, used: 0 }, OTHER_COPY)
  }

  private invalid(key: string, value: unknown, spec: PropertySpec, detail = ''): void {
    this.setDropped(key, value)
    const reason = `expected ${expectation(spec)}, got ${describeValue(value)}${detail}`
    if (spec.onInvalid === 'reject') {
      this.problem(key, reason)
    } else {
      this.warn(key, `${reason}; dropped`)
    }
  }

  private readProperty(key: string, value: unknown): void {
    const spec = propertySpec(key)
    if (spec === undefined) {
      const copy = this.copyOther(key, value)
      if (copy !== OMITTED) {
        this.properties[key] = copy
      }
      return
    }
    if (value === undefined) {
      return
    }
    if (value === null && spec.kind !== 'content' && spec.kind !== 'json') {
      return
    }
    const properties = this.properties
    switch (spec.kind) {
      case 'id':
        this.readId(key, value, spec)
        return
      case 'string':
        if (typeof value === 'string') {
          properties[key] = this.copyKnown(key, value)
        } else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || typeof value === 'bigint') {
          properties[key] = String(value)
          this.warn(key, `expected a string, got ${describeValue(value)}; converted to "${String(value)}"`)
        } else {
          this.invalid(key, value, spec)
        }
        return
      case 'integer':
      case 'number':
      case 'seconds':
      case 'usd':
      case 'usdPerToken':
        this.readNumberProperty(key, value, spec)
        return
      case 'boolean': {
        const reading = readBoolean(value)
        if (!reading.ok) {
          this.invalid(key, value, spec)
          return
        }
        properties[key] = reading.value
        if (reading.converted) {
          this.warn(key, `expected true or false, got ${describeValue(value)}; converted to ${reading.value}`)
        }
        return
      }
      case 'timestamp': {
        const reading = readTimestamp(value)
        if (!reading.ok) {
          this.invalid(key, value, spec)
          return
        }
        properties[key] = reading.iso
        if (reading.note !== undefined) {
          this.warn(key, `got ${describeValue(value)}; ${reading.note}: ${reading.iso}`)
        }
        return
      }
      case 'enum': {
        const values = spec.values ?? []
        if (typeof value === 'string' && values.includes(value)) {
          properties[key] = value
          return
        }
        const lower = typeof value === 'string' ? value.trim().toLowerCase() : undefined
        if (lower !== undefined && values.includes(lower)) {
          properties[key] = lower
          this.warn(key, `expected ${expectation(spec)}, got ${describeValue(value)}; converted to "${lower}"`)
          return
        }
        this.invalid(key, value, spec)
        return
      }
      case 'scalar':
        if (typeof value === 'string') {
          properties[key] = this.copyKnown(key, value)
        } else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') {
          properties[key] = value
        } else if (typeof value === 'bigint') {
          properties[key] = String(value)
          this.warn(key, `expected ${expectation(spec)}, got ${describeValue(value)}; converted to a string`)
        } else {
          this.invalid(key, value, spec)
        }
        return
      case 'object':
        this.readObjectProperty(key, value, spec)
        return
      case 'json': {
        const copy = this.copyKnown(key, value)
        if (copy !== OMITTED) {
          properties[key] = copy
        }
        return
      }
      case 'content':
        // Sized and copied together after all properties are read. The slot keeps key
        // order and holds the value as it came, which is what most events keep.
        properties[key] = value
        this.contentFields.push({ key, value })
        return
      case 'error':
        this.readError(key, value)
        return
      case 'exceptionList':
        this.readExceptionList(key, value, spec)
        return
      default:
        spec.kind satisfies never
    }
  }

  private readId(key: string, value: unknown, spec: PropertySpec): void {
    if (typeof value === 'string') {
      if (value.length === 0) {
        this.setDropped(key, value)
        this.warn(key, 'expected a non-empty string id, got ""; dropped')
      } else if (value.length > MAX_ID_CHARS) {
        this.setDropped(key, value)
        this.warn(key, `expected an id of at most ${MAX_ID_CHARS} chars, got ${describeValue(value)}; dropped`)
      } else {
        this.properties[key] = value
      }
      return
    }
    if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || typeof value === 'bigint') {
      this.properties[key] = String(value)
      return
    }
    this.invalid(key, value, spec)
  }

  private readNumberProperty(key: string, value: unknown, spec: PropertySpec): void {
    const reading = readNumber(value, spec)
    if (!reading.ok) {
      this.invalid(key, value, spec)
      return
    }
    this.properties[key] = reading.value
    if (reading.fromText) {
      this.warn(key, `expected ${expectation(spec)}, got the string ${describeValue(value)}; converted to ${reading.value}`)
    }
    if (spec.kind === 'seconds' && reading.value > 3600) {
      this.warn(key, `${reading.value} seconds is over an hour; latencies are in seconds, not milliseconds`)
    }
    if (spec.kind === 'usdPerToken' && reading.value > 0.01) {
      this.warn(key, `${reading.value} USD per token looks like a price per million tokens; prices are per token`)
    }
  }

  private readObjectProperty(key: string, value: unknown, spec: PropertySpec): void {
    let object = value
    if (typeof value === 'string' && value.length <= MAX_PARSED_ERROR_CHARS) {
      try {
        object = JSON.parse(value)
      } catch {
        object = value
      }
      if (isRecord(object)) {
        this.warn(key, 'expected an object, got a JSON string of one; parsed')
      }
    }
    if (!isRecord(object)) {
      this.invalid(key, value, spec)
      return
    }
    const copy = this.copyKnown(key, object)
    if (isRecord(copy)) {
      this.properties[key] = copy
    } else if (copy !== OMITTED) {
      this.invalid(key, value, spec)
    }
  }

  private readError(key: string, value: unknown): void {
    if (typeof value === 'string') {
      if (value.length === 0) {
        return
      }
      this.errorText = value
      const first = value.trimStart()[0]
      if ((first === '{' || first === '"') && value.length <= MAX_PARSED_ERROR_CHARS) {
        try {
          const parsed: unknown = JSON.parse(value)
          if (isRecord(parsed)) {
            this.properties[key] = this.copyKnown(key, parsed)
            return
          }
          if (typeof parsed === 'string') {
            this.properties[key] = { message: this.copyKnown(key, parsed) }
            return
          }
        } catch {
          // Plain text: the message itself.
        }
      }
      this.properties[key] = { message: this.copyKnown(key, value) }
      return
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const copy = this.copyKnown(key, value)
      this.properties[key] = isRecord(copy) ? copy : { message: String(copy) }
      return
    }
    const text = typeof value === 'string' ? value : Array.isArray(value) ? JSON.stringify(this.copyKnown(key, value)) : String(value)
    this.properties[key] = { message: text }
    this.warn(key, `expected an error object or message, got ${describeValue(value)}; stored as { message: ${describeValue(text)} }`)
  }

  private readExceptionList(key: string, value: unknown, spec: PropertySpec): void {
    let list = value
    if (typeof list === 'string' && list.length <= MAX_OTHER_PROPERTIES_CHARS) {
      try {
        list = JSON.parse(list)
        this.warn(key, 'expected an array, got a JSON string of one; parsed')
      } catch {
        list = value
      }
    }
    if (isRecord(list) && ('type' in list || 'value' in list)) {
      this.warn(key, 'expected an array of exceptions, got one exception object; wrapped in an array')
      list = [list]
    }
    if (!Array.isArray(list) || list.length === 0) {
      this.invalid(key, value, spec)
      return
    }
    const copy = this.copyKnown(key, list)
    if (!Array.isArray(copy)) {
      this.invalid(key, value, spec)
      return
    }
    const entries: UnknownRecord[] = []
    copy.forEach((entry: unknown, index) => {
      if (!isRecord(entry)) {
        this.warn(`${key}[${index}]`, `expected an exception {type, value, mechanism, stacktrace?}, got ${describeValue(entry)}; dropped`)
        return
      }
      // The copy may share `entry` with the input, which must not change: fix a copy of it.
      let fixed = entry
      for (const field of ['type', 'value'] as const) {
        if (typeof entry[field] !== 'string') {
          const fallback = field === 'type' ? 'Error' : ''
          const converted = entry[field] === undefined || entry[field] === null ? fallback : typeof entry[field] === 'object' ? JSON.stringify(entry[field]) : String(entry[field])
          this.warn(`${key}[${index}].${field}`, `expected a string, got ${describeValue(entry[field])}; set to ${JSON.stringify(converted)}`)
          fixed = fixed === entry ? { ...entry } : fixed
          fixed[field] = converted
        }
      }
      entries.push(fixed)
    })
    if (entries.length === 0) {
      this.invalid(key, value, spec)
      return
    }
    this.properties[key] = entries
  }

  // -------------------------------------------------------------------------------------
  // Content: sized together, cut fairly
  // -------------------------------------------------------------------------------------

  private processContent(): void {
    if (this.contentFields.length === 0) {
      return
    }
    const limit = this.maxContentBytes
    const options = contentCopyOptions(limit)
    if (this.contentFitsAsItCame(limit, options)) {
      // The values are in their slots already.
      return
    }
    const copies = this.contentFields.map((field) => this.copyContent(field, limit, options))
    let total = 0
    let cutWhileCopying = false
    for (const copy of copies) {
      total += copy.size
      cutWhileCopying ||= copy.cutWhileCopying
    }
    if (total > limit || cutWhileCopying) {
      this.cutContent(copies, total, limit)
    }
  }

  /**
   * Whether all content needs no change and, counted generously (six bytes per char),
   * fits the limit: then it is kept as it came, and no exact size is ever needed. True
   * for nearly every event, at the cost of a walk that reads no text.
   */
  private contentFitsAsItCame(limit: number, options: CopyOptions): boolean {
    let room = limit
    for (const field of this.contentFields) {
      const size = plainJsonSize(field.value, room, options, 'atMost')
      if (size === NOT_PLAIN) {
        return false
      }
      room -= size
    }
    return true
  }

  /** Copies one content property into the properties (values needing no change are kept as they are). */
  private copyContent(field: ContentField, limit: number, options: CopyOptions): ContentCopy {
    const plainSize = plainJsonSize(field.value, limit, options)
    if (plainSize !== NOT_PLAIN) {
      // What the sanitizer would return and charge, without its bookkeeping; the value is in its slot already.
      return { key: field.key, copy: field.value, size: plainSize, originalSize: plainSize, cutWhileCopying: false, droppedItems: false }
    }
    // Room to spare (4× the limit), so that the final cut can choose what to keep.
    const budget: SizeBudget = { limit: limit * 4, used: 0, removed: 0, droppedItems: false }
    const copy = this.sanitizer.copyProperty(field.key, field.value, budget, options)
    if (copy === OMITTED) {
      delete this.properties[field.key]
    } else {
      this.properties[field.key] = copy
    }
    const removed = budget.removed ?? 0
    const droppedItems = budget.droppedItems === true
    return {
      key: field.key,
      copy,
      // The copy's charge is its JSON size, give or take a byte per container: enough to
      // tell whether anything must be cut; exact sizes are measured only when it must.
      size: copy === OMITTED ? 0 : budget.used,
      originalSize: budget.used + removed,
      cutWhileCopying: removed > 0 || droppedItems,
      droppedItems,
    }
  }

  /** Fits content over the limit (or cut while copying) into it, sharing the room fairly. */
  private cutContent(copies: readonly ContentCopy[], approximateTotal: number, limit: number): void {
    const anyDropped = copies.some((copy) => copy.droppedItems)
    const originalTotal = copies.reduce((sum, copy) => sum + copy.originalSize, 0)
    let sizes = copies.map((copy) => copy.size)
    let shares = sizes
    if (approximateTotal > limit) {
      sizes = copies.map((copy) => (copy.copy === OMITTED ? 0 : measureJsonBytes(copy.copy)))
      const total = sizes.reduce((sum, size) => sum + size, 0)
      shares = total > limit ? shareFairly(sizes, limit) : sizes
    }
    copies.forEach((copy, index) => {
      const size = sizes[index] ?? 0
      const share = shares[index] ?? 0
      const shrink = size > share
      if (!shrink && !copy.cutWhileCopying) {
        return
      }
      const kept = shrink ? shrinkToFit(copy.copy, share) : copy.copy
      this.properties[copy.key] = kept
      const original = `${anyDropped ? 'more than ' : ''}${formatBytes(copy.originalSize)}`
      this.warn(
        copy.key,
        `${original} of content cut to ${formatBytes(measureJsonBytes(kept))} with "[truncated by aiscope: …]" markers: all content of an event (${anyDropped ? 'more than ' : ''}${formatBytes(originalTotal)} here) must fit maxContentBytes (${formatBytes(limit)})`,
      )
    })
  }

  // -------------------------------------------------------------------------------------
  // Per-event requirements and derived properties
  // -------------------------------------------------------------------------------------

  private required(key: string, reason: string): void {
    const dropped = this.dropped?.get(key)
    if (this.problems.some((problem) => problem.field === key)) {
      return
    }
    this.problem(key, `${reason}, got ${describeValue(dropped)}`)
  }

  private checkEvent(eventName: string): void {
    const properties = this.properties
    const traceId = typeof properties.$ai_trace_id === 'string' ? properties.$ai_trace_id : undefined
    if (traceId !== undefined && !TRACE_ID_CHARACTERS.test(traceId)) {
      this.warn('$ai_trace_id', `${describeValue(traceId)} has characters outside PostHog's documented set (letters, digits and - _ ~ . @ ( ) ! ' : |); it may not work in PostHog URLs`)
    }
    if (TRACE_REQUIRED_EVENTS.has(eventName) && traceId === undefined) {
      this.required('$ai_trace_id', `required on ${eventName} events (every AI event belongs to a trace): expected a string id`)
    }
    switch (eventName) {
      case '$ai_generation':
      case '$ai_embedding':
        this.checkModelCall(eventName)
        break
      case '$ai_evaluation':
        if (traceId === undefined && properties.$ai_target_event_id === undefined && properties.$ai_target_id === undefined) {
          this.required('$ai_trace_id', 'an $ai_evaluation needs $ai_trace_id, $ai_target_event_id or $ai_target_id to say what it evaluates: expected a string id')
        }
        break
      case INTERACTION_EVENT:
        if (properties.$ai_interaction === undefined) {
          this.required('$ai_interaction', `required on ${INTERACTION_EVENT} events: expected ${expectation(AI_PROPERTY_SPECS.$ai_interaction)}`)
        }
        if (properties.$ai_generation_id === undefined && traceId === undefined) {
          this.required('$ai_generation_id', `an ${INTERACTION_EVENT} needs $ai_generation_id or $ai_trace_id to say which output it concerns: expected a string id`)
        }
        break
      case '$exception':
        this.checkException()
        break
      case '$feature_flag_called':
        if (properties.$feature_flag === undefined) {
          this.required('$feature_flag', 'required on $feature_flag_called events: expected the flag key as a string')
        }
        if (properties.$feature_flag_response === undefined) {
          this.warn('$feature_flag_response', 'expected the variant or value the user got on $feature_flag_called events, got nothing')
        }
        break
      case '$pageview':
        this.checkPageview()
        break
      default:
        break
    }
    if (properties.$ai_is_error === true && typeof properties.$ai_error_normalized !== 'string') {
      const error = properties.$ai_error
      const normalized = isRecord(error) ? normalizeErrorText(errorGroupingText(error, this.errorText)) : ''
      properties.$ai_error_normalized = normalized.length > 0 ? normalized : UNKNOWN_ERROR_TEXT
    }
  }

  private checkModelCall(eventName: string): void {
    const properties = this.properties
    for (const key of ['$ai_model', '$ai_provider'] as const) {
      if (properties[key] === undefined) {
        this.warn(key, `expected the ${key === '$ai_model' ? 'model name' : 'provider'} on ${eventName} events, got ${describeValue(this.dropped?.get(key))}; costs cannot be computed without it`)
      }
    }
    this.deriveModelParameters()
    if (properties.$ai_cache_reporting_exclusive === undefined) {
      properties.$ai_cache_reporting_exclusive = resolveCacheReportingExclusive(properties)
    }
    if (eventName === '$ai_generation') {
      this.deriveToolCalls()
    }
  }

  private deriveModelParameters(): void {
    const properties = this.properties
    const parameters = properties.$ai_model_parameters
    if (!isRecord(parameters)) {
      return
    }
    this.deriveParameter('$ai_temperature', 'temperature', parameters.temperature)
    this.deriveParameter('$ai_stream', 'stream', parameters.stream)
    if (parameters.max_tokens !== undefined) {
      this.deriveParameter('$ai_max_tokens', 'max_tokens', parameters.max_tokens)
    } else {
      this.deriveParameter('$ai_max_tokens', 'max_completion_tokens', parameters.max_completion_tokens)
    }
  }

  /** Sets `target` from a model parameter unless it is set already; explicit values win. */
  private deriveParameter(target: '$ai_temperature' | '$ai_stream' | '$ai_max_tokens', source: string, raw: unknown): void {
    const properties = this.properties
    if (raw === undefined || raw === null || properties[target] !== undefined) {
      return
    }
    const spec: PropertySpec = DERIVED_PARAMETER_SPECS[target]
    if (spec.kind === 'boolean') {
      const reading = readBoolean(raw)
      if (reading.ok) {
        properties[target] = reading.value
        return
      }
    } else {
      const reading = readNumber(raw, spec)
      if (reading.ok) {
        properties[target] = reading.value
        return
      }
    }
    this.warn(`$ai_model_parameters.${source}`, `expected ${expectation(spec)}, got ${describeValue(raw)}; ${target} not derived`)
  }

  private deriveToolCalls(): void {
    const properties = this.properties
    const given = properties.$ai_tools_called
    if (typeof given === 'string') {
      if (properties.$ai_tool_call_count === undefined) {
        properties.$ai_tool_call_count = given.split(',').filter((name) => name.trim().length > 0).length
      }
      return
    }
    const output = properties.$ai_output_choices
    if (output === undefined || output === null || (typeof output === 'string' && output.length > MAX_TOOL_EXTRACTION_CHARS)) {
      return
    }
    const names = toolCallNames(output)
    if (names.length > 0) {
      properties.$ai_tools_called = names.join(',')
      if (properties.$ai_tool_call_count === undefined) {
        properties.$ai_tool_call_count = names.length
      }
    }
  }

  private checkException(): void {
    const properties = this.properties
    if (properties.$exception_list !== undefined) {
      return
    }
    const type = properties.$exception_type
    const message = properties.$exception_message
    if (typeof type === 'string' || typeof message === 'string') {
      properties.$exception_list = [{ type: typeof type === 'string' ? type : 'Error', value: typeof message === 'string' ? message : '' }]
      this.warn('$exception_list', 'absent; built from $exception_type and $exception_message')
      return
    }
    this.required('$exception_list', 'required on $exception events: expected a non-empty array of {type, value, mechanism, stacktrace?}')
  }

  private checkPageview(): void {
    const properties = this.properties
    const url = properties.$current_url
    if (typeof url !== 'string') {
      this.warn('$current_url', `expected the page URL on $pageview events, got ${describeValue(this.dropped?.get('$current_url'))}`)
      return
    }
    if (properties.$pathname === undefined && typeof URL !== 'undefined') {
      try {
        properties.$pathname = new URL(url).pathname
      } catch {
        // A relative or malformed URL: no path to derive.
      }
    }
  }
}

/**
 * Checks one incoming event and normalises it as PostHog's ingestion does (see this
 * module's header for every rule). Takes anything and never throws: cyclic objects,
 * throwing getters, Proxies, BigInt, hostile keys, deep nesting and huge strings all
 * come back as problems or warnings.
 *
 * The input is never changed. The event and its `properties` are new objects, so a host
 * that changes its own event object after capture cannot change what is stored at the
 * top level. Nested values that need no change (content, `$groups`, a host's own
 * objects) are **shared** with the input, not copied: only the objects on the way to a
 * change (a cut, a placeholder, a dropped key) are new. This suits both callers: the
 * worker validates its own structured-clone copy, and in-process the event is stored
 * (structured-cloned by IndexedDB) right away. Callers must not mutate nested values of
 * the result, and a host must not mutate nested values of an event it has captured until
 * it is stored. Shared objects are read again when stored: a getter that returns other
 * values on a second read, or a Proxy that IndexedDB cannot clone, is stored as it then is.
 *
 * @returns `{ ok: true, event, warnings }` with the normalised event, or
 *   `{ ok: false, problems }` naming every field that stops the event from being stored,
 *   with what was expected and what came.
 */
export function validateEvent(input: unknown, options?: ValidateOptions): ValidationResult {
  try {
    return new EventValidation(options).run(input)
  } catch (error) {
    return { ok: false, problems: [{ field: 'input', reason: `could not be validated: reading it threw ${describeError(error)}` }] }
  }
}
