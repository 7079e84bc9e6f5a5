import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { generateEvents } from '../../src/testing'
import type { EventProblem, ValidationResult } from '../../src/schema/validation.types'
import { validateEvent } from '../../src/schema/validate'
import { NOW_MS, expectRejected, expectValid, minimalGeneration } from './support'

function validate(input: unknown): ValidationResult {
  return validateEvent(input, { nowMs: NOW_MS })
}

/** A value nested `depth` levels deep: `{ child: { child: … 'bottom' } }`. */
function nested(depth: number): unknown {
  let value: unknown = 'bottom'
  for (let level = 0; level < depth; level++) {
    value = { child: value }
  }
  return value
}

/** Depth of a plain value (arrays and objects count a level each). */
function depthOf(value: unknown): number {
  let depth = 0
  let current: unknown = value
  while (typeof current === 'object' && current !== null) {
    depth++
    current = Object.values(current)[0]
  }
  return depth
}

const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('get trap')
    },
    has() {
      throw new Error('has trap')
    },
    ownKeys() {
      throw new Error('ownKeys trap')
    },
    getOwnPropertyDescriptor() {
      throw new Error('getOwnPropertyDescriptor trap')
    },
    getPrototypeOf() {
      throw new Error('getPrototypeOf trap')
    },
    set() {
      throw new Error('set trap')
    },
    defineProperty() {
      throw new Error('defineProperty trap')
    },
    deleteProperty() {
      throw new Error('deleteProperty trap')
    },
    isExtensible() {
      throw new Error('isExtensible trap')
    },
    preventExtensions() {
      throw new Error('preventExtensions trap')
    },
    setPrototypeOf() {
      throw new Error('setPrototypeOf trap')
    },
  },
)

describe('validateEvent on inputs that are not events', () => {
  it.each([
    ['null', null, 'null'],
    ['undefined', undefined, 'nothing'],
    ['a number', 42, '42'],
    ['a string', '$ai_generation', '"$ai_generation"'],
    ['an array', [minimalGeneration()], 'an array of 1 item'],
    ['a BigInt', 10n, '10n'],
    ['a function', () => 1, 'a function'],
  ])('rejects %s as the input', (_, input, got) => {
    expect(expectRejected(validate(input))).toEqual([
      { field: 'input', reason: `expected an event object {event, properties, timestamp, distinct_id, uuid}, got ${got}` },
    ])
  })

  it('rejects a Proxy that throws on every trap, as the input and as the properties', () => {
    const asInput = expectRejected(validate(throwingProxy))
    expect(asInput).toEqual([{ field: 'input', reason: 'expected an event object, got an object that cannot be read (reading it threw Error: ownKeys trap)' }])

    const asProperties = expectRejected(validate({ ...minimalGeneration(), properties: throwingProxy }))
    expect(asProperties.map((problem) => problem.field)).toEqual(['properties', '$ai_trace_id'])
    expect(asProperties[0]?.reason).toBe('expected an object of properties, got an object that cannot be read (reading it threw Error: ownKeys trap)')
  })

  it('names every envelope problem at once', () => {
    expect(expectRejected(validate({ event: 7, properties: [1, 2], timestamp: 'soon', distinct_id: { id: 1 } }))).toEqual([
      { field: 'event', reason: 'expected a non-empty string event name such as "$ai_generation", got 7' },
      { field: 'properties', reason: 'expected an object of properties, got an array of 2 items' },
      { field: 'distinct_id', reason: 'expected a non-empty string or number identifying the user, got an object {id}' },
      { field: 'timestamp', reason: 'expected an ISO 8601 string or ms since epoch, got "soon"' },
    ])
  })
})

describe('validateEvent on wrong-typed core numbers', () => {
  it('collects every problem of the event, each naming the field, what was expected and what came', () => {
    const problems = expectRejected(
      validate(
        minimalGeneration({
          $ai_input_tokens: 12.5,
          $ai_output_tokens: -3,
          $ai_cache_read_input_tokens: Number.NaN,
          $ai_reasoning_tokens: '1e400',
          $ai_latency: '12ms',
          $ai_time_to_first_token: Number.POSITIVE_INFINITY,
          $ai_total_cost_usd: -0.01,
          $ai_input_cost_usd: true,
          $ai_input_token_price: { usd: 1 },
        }),
      ),
    )
    expect(problems).toEqual<EventProblem[]>([
      { field: '$ai_input_tokens', reason: 'expected a non-negative integer (tokens), got 12.5' },
      { field: '$ai_output_tokens', reason: 'expected a non-negative integer (tokens), got -3' },
      { field: '$ai_latency', reason: 'expected seconds as a finite number >= 0, got "12ms"' },
      { field: '$ai_cache_read_input_tokens', reason: 'expected a non-negative integer (tokens), got NaN' },
      { field: '$ai_reasoning_tokens', reason: 'expected a non-negative integer (tokens), got "1e400"' },
      { field: '$ai_time_to_first_token', reason: 'expected seconds as a finite number >= 0, got Infinity' },
      { field: '$ai_total_cost_usd', reason: 'expected USD as a finite number >= 0, got -0.01' },
      { field: '$ai_input_cost_usd', reason: 'expected USD as a finite number >= 0, got true' },
      { field: '$ai_input_token_price', reason: 'expected USD per token as a finite number >= 0, got an object {usd}' },
    ])
  })

  it('accepts BigInt token counts that fit a number, rejects those that do not', () => {
    expect(expectValid(validate(minimalGeneration({ $ai_input_tokens: 120n }))).event.properties.$ai_input_tokens).toBe(120)
    expect(expectRejected(validate(minimalGeneration({ $ai_input_tokens: 2n ** 64n })))).toEqual([
      { field: '$ai_input_tokens', reason: 'expected a non-negative integer (tokens), got 18446744073709551616n' },
    ])
  })

  it('removes null in typed fields silently and keeps null content (privacy mode)', () => {
    const { event, warnings } = expectValid(validate(minimalGeneration({ $ai_latency: null, $ai_input: null, $ai_output_choices: null })))
    expect(event.properties).not.toHaveProperty('$ai_latency')
    expect(event.properties.$ai_input).toBeNull()
    expect(event.properties.$ai_output_choices).toBeNull()
    expect(warnings).toEqual([])
  })

  it('drops wrong-typed descriptive fields with a warning and keeps the event', () => {
    const { event, warnings } = expectValid(validate(minimalGeneration({ $ai_http_status: 'teapot', $ai_model_parameters: ['temperature'], $ai_span_name: 12 })))
    expect(event.properties).not.toHaveProperty('$ai_http_status')
    expect(event.properties).not.toHaveProperty('$ai_model_parameters')
    expect(event.properties.$ai_span_name).toBe('12')
    expect(warnings).toEqual([
      { field: '$ai_http_status', reason: 'expected a non-negative integer (HTTP status), got "teapot"; dropped' },
      { field: '$ai_model_parameters', reason: 'expected a JSON object, got an array of 1 item; dropped' },
      { field: '$ai_span_name', reason: 'expected a string, got 12; converted to "12"' },
    ])
  })
})

describe('validateEvent on hostile structures', () => {
  it('drops __proto__, constructor and prototype keys without polluting any prototype', () => {
    const input = JSON.parse(
      '{"event":"$ai_generation","distinct_id":"u","timestamp":"2026-11-27T08:00:00.000Z","properties":{"$ai_trace_id":"t","$ai_model":"m","$ai_provider":"p","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"custom":{"__proto__":{"polluted":"yes"},"prototype":1,"kept":true},"$ai_input":[{"role":"user","content":"hi","__proto__":{"polluted":"yes"}}]}}',
    ) as unknown
    const { event, warnings } = expectValid(validate(input))

    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
    expect(Object.getPrototypeOf(event.properties)).toBe(Object.prototype)
    expect(Object.keys(event.properties)).not.toContain('__proto__')
    expect(Object.keys(event.properties)).not.toContain('constructor')
    expect(event.properties.custom).toEqual({ kept: true })
    expect(Object.keys(event.properties.custom as object)).toEqual(['kept'])
    expect(event.properties.$ai_input).toEqual([{ role: 'user', content: 'hi' }])
    expect(warnings).toEqual([
      { field: '__proto__', reason: 'key "__proto__" dropped: keys __proto__, constructor and prototype are never stored' },
      { field: 'constructor', reason: 'key "constructor" dropped: keys __proto__, constructor and prototype are never stored' },
      { field: 'custom.__proto__', reason: 'key "__proto__" dropped: keys __proto__, constructor and prototype are never stored (2 places; the first is named)' },
      { field: '$ai_input[0].__proto__', reason: 'key "__proto__" dropped: keys __proto__, constructor and prototype are never stored' },
    ])
  })

  it('replaces cycles with a marker', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const messages: unknown[] = [{ role: 'user', content: 'hi' }]
    messages.push(messages)
    const { event, warnings } = expectValid(validate(minimalGeneration({ custom: cyclic, $ai_input: messages })))
    expect(event.properties.custom).toEqual({ name: 'loop', self: '[removed by aiscope: circular reference]' })
    expect(event.properties.$ai_input).toEqual([{ role: 'user', content: 'hi' }, '[removed by aiscope: circular reference]'])
    expect(warnings).toEqual([
      { field: 'custom.self', reason: 'circular reference replaced with the marker "[removed by aiscope: circular reference]"' },
      { field: '$ai_input[1]', reason: 'circular reference replaced with the marker "[removed by aiscope: circular reference]"' },
    ])
  })

  it('keeps values shared by several fields (not cycles) in each place', () => {
    const shared = { role: 'system', content: 'You are helpful.' }
    const { event, warnings } = expectValid(validate(minimalGeneration({ $ai_input: [shared, shared], custom: shared })))
    expect(event.properties.$ai_input).toEqual([shared, shared])
    expect(event.properties.custom).toEqual(shared)
    expect(warnings).toEqual([])
  })

  it('contains getters that throw, at every level', () => {
    const properties = {
      $ai_trace_id: 't',
      $ai_model: 'm',
      $ai_provider: 'p',
      get $ai_latency(): number {
        throw new TypeError('latency getter')
      },
      custom: {
        ok: 1,
        get broken(): number {
          throw new RangeError('nested getter')
        },
      },
    }
    const { event, warnings } = expectValid(validate({ event: '$ai_generation', distinct_id: 'u', properties }))
    expect(event.properties).not.toHaveProperty('$ai_latency')
    expect(event.properties.custom).toEqual({ ok: 1, broken: '[removed by aiscope: reading it threw RangeError: nested getter]' })
    expect(warnings).toEqual([
      { field: '$ai_latency', reason: 'reading the value threw TypeError: latency getter; dropped' },
      { field: 'custom.broken', reason: 'reading the value threw RangeError: nested getter; replaced with a marker' },
    ])

    const envelope = {
      get event(): string {
        throw new Error('event getter')
      },
      distinct_id: 'u',
    }
    expect(expectRejected(validate(envelope))).toEqual([
      { field: 'event', reason: 'could not be read: reading it threw Error: event getter' },
      { field: 'event', reason: 'expected a non-empty string event name such as "$ai_generation", got nothing' },
    ])
  })

  it('replaces a Proxy that throws on every trap, nested in content, with a marker', () => {
    const { event, warnings } = expectValid(validate(minimalGeneration({ $ai_input: [{ role: 'user', content: throwingProxy }] })))
    expect(event.properties.$ai_input).toEqual([{ role: 'user', content: '[removed by aiscope: reading it threw Error: getPrototypeOf trap]' }])
    expect(warnings).toEqual([{ field: '$ai_input[0].content', reason: 'reading the value threw Error: getPrototypeOf trap; replaced with a marker' }])
  })

  it('cuts nesting 10,000 levels deep at 64 levels, in content and in other properties', () => {
    const { event, warnings } = expectValid(validate(minimalGeneration({ $ai_input_state: nested(10_000), custom: nested(10_000) })))
    expect(depthOf(event.properties.$ai_input_state)).toBe(64)
    expect(depthOf(event.properties.custom)).toBe(64)
    expect(JSON.stringify(event.properties.custom)).toContain('"[truncated by aiscope: nested deeper than 64 levels]"')
    const reason = 'nested deeper than 64 levels; cut with the marker "[truncated by aiscope: nested deeper than 64 levels]"'
    expect(warnings).toEqual([
      { field: `custom${'.child'.repeat(64)}`, reason },
      { field: `$ai_input_state${'.child'.repeat(64)}`, reason },
    ])
  })

  it('turns BigInt, NaN and Infinity inside JSON values into strings and null with warnings', () => {
    const { event, warnings } = expectValid(validate(minimalGeneration({ custom: { big: 12n, nan: Number.NaN, list: [Number.NEGATIVE_INFINITY] } })))
    expect(event.properties.custom).toEqual({ big: '12', nan: null, list: [null] })
    expect(warnings).toEqual([
      { field: 'custom.big', reason: 'expected JSON data, got the BigInt 12n; stored as a string of digits' },
      { field: 'custom.nan', reason: 'expected JSON data, got NaN; stored as null (2 places; the first is named)' },
    ])
  })

  it('reads dates, errors, maps, sets and URLs in host properties as JSON would, or better', () => {
    const error = Object.assign(new Error('boom'), { status: 503 })
    const { event } = expectValid(
      validate(minimalGeneration({ when: new Date('2026-11-27T08:00:00.000Z'), failure: error, map: new Map([['a', 1]]), set: new Set([1, 2]), link: new URL('https://example.com/a?b=1') })),
    )
    expect(event.properties).toMatchObject({ when: '2026-11-27T08:00:00.000Z', map: { a: 1 }, set: [1, 2], link: 'https://example.com/a?b=1' })
    expect(event.properties.failure).toMatchObject({ name: 'Error', message: 'boom', status: 503 })
  })

  it('turns an Error given as $ai_error into a plain error object', () => {
    const { event } = expectValid(validate(minimalGeneration({ $ai_is_error: true, $ai_error: Object.assign(new TypeError('fetch failed'), { code: 'ECONNRESET' }) })))
    expect(event.properties.$ai_error).toMatchObject({ name: 'TypeError', message: 'fetch failed', code: 'ECONNRESET' })
    expect(event.properties.$ai_error_normalized).toBe('TypeError: fetch failed')
  })

  it('cuts a 100 MB string in a host property to 65,536 chars with a marker', () => {
    const huge = 'x'.repeat(100_000_000)
    const { event, warnings } = expectValid(validate(minimalGeneration({ transcript: huge })))
    const kept = event.properties.transcript as string
    expect(kept.length).toBeLessThan(65_600)
    expect(kept).toMatch(/^x+… \[truncated by aiscope: 65\.\d kB of ≥100\.0 MB kept\]$/)
    expect(warnings).toEqual([{ field: 'transcript', reason: 'string of 100,000,000 chars is over the size limit; cut with a "[truncated by aiscope: …]" marker' }])
  })

  it('caps host properties together at 1M chars without crowding out known ones', () => {
    const chunk = 'z'.repeat(60_000)
    const hostProperties = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`note_${index}`, chunk]))
    const input = minimalGeneration()
    input.properties = { ...hostProperties, ...(input.properties as object), $ai_error: 'boom', $ai_is_error: true }
    const { event, warnings } = expectValid(validate(input))
    expect(event.properties.$ai_model).toBe('gpt-4o-mini')
    expect(event.properties.$ai_error).toEqual({ message: 'boom' })
    expect(event.properties.note_0).toBe(chunk)
    expect(event.properties.note_29).toBe('[truncated by aiscope: 0 B of 60.0 kB kept]')
    expect(warnings.map((warning) => warning.field)).toEqual(['note_16', 'note_17', 'note_18', 'note_19', 'note_20', 'note_21', 'note_22', 'note_23', 'note_24', 'note_25', 'note_26', 'note_27', 'note_28', 'note_29'])
  })

  it('validates with a 100 MB string in content without holding it', () => {
    const huge = 'All work and no play. '.repeat(4_600_000)
    const { event } = expectValid(validate(minimalGeneration({ $ai_input: [{ role: 'user', content: huge }] })))
    const content = (event.properties.$ai_input as Array<{ content: string }>)[0]?.content ?? ''
    expect(content.length).toBeLessThan(1_000_000)
    expect(content).toMatch(/^All work and no play\. .*… \[truncated by aiscope: [\d.]+ kB of ≥101\.2 MB kept\]$/)
  })
})

describe('validateEvent fuzzing', () => {
  const dangerousKeys = fc.oneof(
    { weight: 5, arbitrary: fc.string({ maxLength: 8 }) },
    { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty') },
    { weight: 2, arbitrary: fc.constantFrom('event', 'properties', 'timestamp', 'uuid', 'distinct_id', '$ai_trace_id', '$ai_input', '$ai_latency', '$ai_input_tokens', '$ai_error', '$ai_is_error', '$ai_output_choices', 'role', 'content', 'type', 'data', 'image') },
  )
  const anything = fc.anything({
    key: dangerousKeys,
    maxDepth: 4,
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withTypedArray: true,
    withSparseArray: true,
  })

  function assertWellFormed(result: ValidationResult): void {
    expect(typeof result.ok).toBe('boolean')
    const entries = result.ok ? result.warnings : result.problems
    if (!result.ok) {
      expect(result.problems.length).toBeGreaterThan(0)
    }
    for (const entry of entries) {
      expect(typeof entry.field).toBe('string')
      expect(entry.field.length).toBeGreaterThan(0)
      expect(typeof entry.reason).toBe('string')
      expect(entry.reason.length).toBeGreaterThan(0)
    }
    if (result.ok) {
      // The event is plain JSON data: a JSON round trip changes nothing.
      expect(JSON.parse(JSON.stringify(result.event))).toEqual(result.event)
      expect(typeof result.event.event).toBe('string')
      expect(typeof result.event.uuid).toBe('string')
      expect(typeof result.event.distinct_id).toBe('string')
      expect(Number.isNaN(Date.parse(result.event.timestamp))).toBe(false)
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  }

  it('never throws on 5,000 arbitrary values, and answers ok xor problems', () => {
    fc.assert(
      fc.property(anything, (input) => {
        assertWellFormed(validate(input))
      }),
      { numRuns: 5_000, seed: 20261127 },
    )
  })

  it('never throws on 5,000 generated events with a property replaced, removed or added', () => {
    const events = generateEvents({ size: 400, seed: 11 })
    const propertyNames = [...new Set(events.flatMap((event) => Object.keys(event.properties)))]
    const mutation = fc.record({
      eventIndex: fc.nat({ max: events.length - 1 }),
      target: fc.oneof(fc.constantFrom('event', 'uuid', 'distinct_id', 'timestamp', 'properties'), fc.constantFrom(...propertyNames).map((name) => `properties.${name}`), dangerousKeys.map((key) => `properties.${key}`)),
      // fast-check inspects constants, so the Proxy is put in after generation.
      value: fc.oneof(anything, fc.constant(undefined), fc.constant('<throwing proxy>')),
    })
    fc.assert(
      fc.property(mutation, ({ eventIndex, target, value: generated }) => {
        const value = generated === '<throwing proxy>' ? throwingProxy : generated
        const event = structuredClone(events[eventIndex]) as unknown as Record<string, unknown>
        if (target.startsWith('properties.')) {
          const properties = event.properties as Record<string, unknown>
          Object.defineProperty(properties, target.slice('properties.'.length), { value, enumerable: true, configurable: true, writable: true })
        } else {
          event[target] = value
        }
        assertWellFormed(validate(event))
      }),
      { numRuns: 5_000, seed: 20261128 },
    )
  })
})

describe('validateEvent on realistic telemetry', () => {
  it('accepts every generated event unchanged, with no warnings', () => {
    const events = generateEvents({ size: 3_000, seed: 5 })
    for (const input of events) {
      const { event, warnings } = expectValid(validateEvent(input, { nowMs: Date.UTC(2026, 10, 28) }))
      expect(warnings).toEqual([])
      expect(event.uuid).toBe(input.uuid)
      expect(event.timestamp).toBe(input.timestamp)
      for (const [key, value] of Object.entries(input.properties)) {
        // The SDK's JSON-string errors are the one thing stored differently: parsed.
        expect(event.properties[key], key).toEqual(key === '$ai_error' ? JSON.parse(value as string) : value)
      }
    }
  })
})
