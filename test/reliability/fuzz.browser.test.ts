/**
 * Fuzzing the ingest path end to end, in real Chromium: 10,000 events, valid generated ones
 * mixed with malformed ones, go through `createAiscope()` (the real Web Worker, real
 * IndexedDB). The oracle is independent of the validator and only speaks where the answer
 * is clear: an unchanged generated event must be stored exactly once; an event with a
 * documented fatal defect (README, "Events in") must be rejected with a problem naming the
 * field and the reason. Everything in between (huge strings, deep nesting, NaN in content,
 * prototype-pollution keys, random values) must only never crash and always be accounted for.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createAiscope, type AiscopeClient, type IngestReport } from '../../src'
import type { AiscopeEvent } from '../../src/schema'
import { generateEvents } from '../../src/testing'
import '../support/fastCheckBrowser'

/** What the oracle expects of one input: stored, rejected for a named field, or no opinion. */
type Expectation = { kind: 'valid' } | { kind: 'invalid'; field: string; reason: RegExp } | { kind: 'unclear' }

interface FuzzCase {
  input: unknown
  /** The uuid the input carries, when it has one: used to count distinct valid events. */
  uuid: string | undefined
  expectation: Expectation
}

const VALID_EVENT_COUNT = 6_000
const DUPLICATE_COUNT = 500
const MALFORMED_COUNT = 3_500
const BATCH_SIZE = 500

const clients: AiscopeClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()))
})

function makeClient(): AiscopeClient {
  const client = createAiscope({ dbName: `aiscope-fuzz-${crypto.randomUUID()}` })
  clients.push(client)
  return client
}

/** `{ child: { child: … leaf } }`, `depth` levels deep, built without recursion. */
function nested(depth: number, leaf: unknown): unknown {
  let value = leaf
  for (let level = 0; level < depth; level++) {
    value = level % 2 === 0 ? { child: value } : [value]
  }
  return value
}

/** Own `__proto__`, `constructor` and `prototype` keys, as `JSON.parse` makes them. */
const pollutingObject = () =>
  JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": {"prototype": {"polluted": "yes"}}, "prototype": {"polluted": "yes"}}') as object

const invalid = (field: string, reason: RegExp): Expectation => ({ kind: 'invalid', field, reason })
const UNCLEAR: Expectation = { kind: 'unclear' }

/** A malformed variant of a generated event: the change, and what the oracle expects of it. */
type Mutation = (event: AiscopeEvent, uuid: string) => { input: unknown; expectation: Expectation }

const withProperties = (event: AiscopeEvent, uuid: string, change: (properties: Record<string, unknown>) => void) => {
  const properties = structuredClone(event.properties) as Record<string, unknown>
  change(properties)
  return { ...event, uuid, properties }
}

const tokenField = fc.constantFrom('$ai_input_tokens', '$ai_output_tokens', '$ai_cache_read_input_tokens', '$ai_reasoning_tokens')
const badTokenValue = fc.oneof(
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, 'lots', true, -0.5),
)
const badSeconds = fc.oneof(fc.double({ min: -1e6, max: -0.001, noNaN: true }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, '12ms', 'fast'))
const badTimestamp = fc.constantFrom(
  'not a date',
  'yesterday',
  '2026-02-30T10:00:00.000Z',
  '2026-13-01T00:00:00.000Z',
  -1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  {},
  [],
)
const badEventName = fc.constantFrom(undefined, null, '', '   ', 42, true, {}, ['$ai_generation'])
const notAnObject = fc.oneof(
  fc.constantFrom(null, undefined, 42, Number.NaN, true, '$ai_generation', '{"event":"$ai_generation"}', [], [1, 2]),
  fc.string(),
  fc.integer(),
)
const badProperties = fc.constantFrom(42, 'not json', '[1,2]', true, [], [{ $ai_trace_id: 't' }])

/** Mutations whose outcome the README states: the event is rejected for this field. */
const clearlyInvalid = (isModelCall: boolean): fc.Arbitrary<Mutation>[] => [
  badEventName.map((name): Mutation => (event, uuid) => {
    const { event: _name, ...rest } = event
    return { input: name === undefined ? { ...rest, uuid } : { ...rest, uuid, event: name }, expectation: invalid('event', /non-empty string event name/) }
  }),
  badTimestamp.map((timestamp): Mutation => (event, uuid) => ({ input: { ...event, uuid, timestamp }, expectation: invalid('timestamp', /^expected .*, got /) })),
  notAnObject.map((input): Mutation => () => ({ input, expectation: invalid('input', /expected an event object/) })),
  badProperties.map((properties): Mutation => (event, uuid) => ({ input: { ...event, uuid, properties }, expectation: invalid('properties', /expected an object of properties/) })),
  fc.constant<Mutation>((_event, uuid) => ({
    input: { event: '$pageview', uuid, timestamp: '2026-11-20T10:00:00.000Z', properties: { $current_url: 'https://example.com/' } },
    expectation: invalid('distinct_id', /expected a non-empty string or number identifying the user/),
  })),
  ...(isModelCall
    ? [
        fc.constant<Mutation>((event, uuid) => ({
          input: withProperties(event, uuid, (properties) => {
            delete properties.$ai_trace_id
          }),
          expectation: invalid('$ai_trace_id', /required on \$ai_(generation|embedding) events/),
        })),
        fc.tuple(tokenField, badTokenValue).map(([field, value]): Mutation => (event, uuid) => ({
          input: withProperties(event, uuid, (properties) => {
            properties[field] = value
          }),
          expectation: invalid(field, /expected a non-negative integer \(tokens\), got /),
        })),
        fc.tuple(fc.constantFrom('$ai_latency', '$ai_time_to_first_token'), badSeconds).map(([field, value]): Mutation => (event, uuid) => ({
          input: withProperties(event, uuid, (properties) => {
            properties[field] = value
          }),
          expectation: invalid(field, /expected seconds as a finite number >= 0, got /),
        })),
        fc.double({ min: -1000, max: -0.0001, noNaN: true }).map((value): Mutation => (event, uuid) => ({
          input: withProperties(event, uuid, (properties) => {
            properties.$ai_total_cost_usd = value
          }),
          expectation: invalid('$ai_total_cost_usd', /as a finite number >= 0, got /),
        })),
      ]
    : []),
]

/** Mutations with no clear answer: kept with a warning, or rejected; never a crash. */
const unclear: fc.Arbitrary<Mutation>[] = [
  // Huge strings in content, in a host property and in short fields. Rare: they are big.
  fc
    .tuple(fc.integer({ min: 70_000, max: 400_000 }), fc.constantFrom('$ai_input', 'note', '$ai_model', '$ai_span_name', '$ai_trace_id'), fc.string({ maxLength: 3 }))
    .map(([length, field, tail]): Mutation => (event, uuid) => ({
      input: withProperties(event, uuid, (properties) => {
        properties[field] = 'x'.repeat(length) + tail
      }),
      expectation: UNCLEAR,
    })),
  fc.tuple(fc.integer({ min: 65, max: 1_000 }), fc.constantFrom('$ai_input', '$ai_output_choices', 'note', '$groups')).map(
    ([depth, field]): Mutation => (event, uuid) => ({
      input: withProperties(event, uuid, (properties) => {
        properties[field] = nested(depth, 'bottom')
      }),
      expectation: UNCLEAR,
    }),
  ),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0).map((value): Mutation => (event, uuid) => ({
    input: withProperties(event, uuid, (properties) => {
      properties.$ai_input = [{ role: 'user', content: value }]
      properties.note = { score: value }
    }),
    expectation: UNCLEAR,
  })),
  fc.constantFrom('properties', 'envelope', 'content').map((where): Mutation => (event, uuid) => {
    if (where === 'envelope') {
      return { input: Object.assign(pollutingObject(), structuredClone(event), { uuid }), expectation: UNCLEAR }
    }
    return {
      input: withProperties(event, uuid, (properties) => {
        if (where === 'properties') {
          Object.assign(properties, pollutingObject())
        } else {
          properties.$ai_input = [pollutingObject()]
        }
      }),
      expectation: UNCLEAR,
    }
  }),
  // Any value in any property, known or not.
  fc
    .tuple(fc.constantFrom('$ai_model', '$ai_provider', '$ai_input', '$ai_output_choices', '$ai_is_error', '$ai_error', '$ai_parent_id', '$groups', 'feature', 'x'), fc.anything())
    .map(([field, value]): Mutation => (event, uuid) => ({
      input: withProperties(event, uuid, (properties) => {
        properties[field] = value
      }),
      expectation: UNCLEAR,
    })),
  fc.anything().map((distinctId): Mutation => (event, uuid) => ({ input: { ...event, uuid, distinct_id: distinctId }, expectation: UNCLEAR })),
  fc.object().map((input): Mutation => () => ({ input, expectation: UNCLEAR })),
]

/** The 10,000 inputs, in a mixed order, from the fixed fast-check seed. */
function buildCases(): FuzzCase[] {
  const generated = generateEvents({ size: VALID_EVENT_COUNT + 1_000, seed: 41 })
  const valid = generated.slice(0, VALID_EVENT_COUNT)
  const bases = generated.slice(VALID_EVENT_COUNT)
  const modelCalls = bases.filter((event) => event.event === '$ai_generation' || event.event === '$ai_embedding')
  const others = bases.filter((event) => !(event.event === '$ai_generation' || event.event === '$ai_embedding'))

  const malformed = fc
    .sample(
      fc.oneof(
        { weight: 6, arbitrary: fc.tuple(fc.constant(true), fc.nat(), fc.oneof(...clearlyInvalid(true))) },
        { weight: 3, arbitrary: fc.tuple(fc.constant(false), fc.nat(), fc.oneof(...clearlyInvalid(false))) },
        { weight: 3, arbitrary: fc.tuple(fc.boolean(), fc.nat(), fc.oneof({ weight: 1, arbitrary: unclear[0]! }, ...unclear.slice(1).map((arbitrary) => ({ weight: 6, arbitrary })))) },
      ),
      MALFORMED_COUNT,
    )
    .map(([modelCall, pick, mutate], index): FuzzCase => {
      const pool = modelCall ? modelCalls : others
      const base = pool[pick % pool.length] as AiscopeEvent
      const uuid = `malformed-${index}`
      const { input, expectation } = mutate(base, uuid)
      return { input, uuid: expectation.kind === 'invalid' ? undefined : uuid, expectation }
    })
  const duplicates = fc.sample(fc.integer({ min: 0, max: VALID_EVENT_COUNT - 1 }), DUPLICATE_COUNT).map((index) => valid[index] as AiscopeEvent)
  const validCases = [...valid, ...duplicates].map((event): FuzzCase => ({ input: structuredClone(event), uuid: event.uuid, expectation: { kind: 'valid' } }))

  const all = [...validCases, ...malformed]
  const order = fc.sample(fc.shuffledSubarray([...all.keys()], { minLength: all.length, maxLength: all.length }), 1)[0] as number[]
  return order.map((index) => all[index] as FuzzCase)
}

function totalCount(result: { rows: { values: Record<string, number | null> }[] }): number {
  return result.rows.reduce((sum, row) => sum + (row.values.count ?? 0), 0)
}

describe('fuzzing ingest through the worker into real IndexedDB', () => {
  it('stores every valid event exactly once and rejects every malformed one with its field and reason, without crashing', { timeout: 120_000 }, async () => {
    const cases = buildCases()
    expect(cases).toHaveLength(10_000)
    const client = makeClient()
    expect(await client.mode()).toBe('worker')

    const validUuids = new Set(cases.flatMap((fuzzCase) => (fuzzCase.expectation.kind === 'valid' ? [fuzzCase.uuid as string] : [])))
    const storedUnclear: FuzzCase[] = []
    const wronglyRejected: string[] = []
    const wronglyAccepted: string[] = []
    const unnamedProblems: string[] = []

    for (let start = 0; start < cases.length; start += BATCH_SIZE) {
      const batch = cases.slice(start, start + BATCH_SIZE)
      const report: IngestReport = await client.ingest(batch.map((fuzzCase) => fuzzCase.input))
      // Every input is accounted for: stored, a duplicate, or rejected.
      expect(report.storedCount + report.duplicateCount + report.rejected.length, `batch at ${start}`).toBe(batch.length)
      const rejectedByIndex = new Map(report.rejected.map((rejection) => [rejection.index, rejection.problems]))
      batch.forEach((fuzzCase, index) => {
        const problems = rejectedByIndex.get(index)
        const where = `input ${start + index} (${JSON.stringify(fuzzCase.input)?.slice(0, 160)})`
        for (const problem of problems ?? []) {
          if (typeof problem.field !== 'string' || problem.field.length === 0 || typeof problem.reason !== 'string' || problem.reason.length < 10) {
            unnamedProblems.push(`${where}: ${JSON.stringify(problem)}`)
          }
        }
        const expectation = fuzzCase.expectation
        if (expectation.kind === 'valid' && problems) {
          wronglyRejected.push(`${where}: ${JSON.stringify(problems)}`)
        } else if (expectation.kind === 'invalid') {
          const named = problems?.some((problem) => problem.field === expectation.field && expectation.reason.test(problem.reason))
          if (!named) {
            wronglyAccepted.push(`${where}: expected a problem on ${expectation.field} matching ${expectation.reason}, got ${JSON.stringify(problems ?? 'stored')}`)
          }
        } else if (expectation.kind === 'unclear' && !problems) {
          storedUnclear.push(fuzzCase)
        }
      })
    }

    expect(wronglyRejected).toEqual([])
    expect(wronglyAccepted).toEqual([])
    expect(unnamedProblems).toEqual([])

    // Exactly once: the store holds each distinct valid uuid once, plus the unclear inputs it kept.
    const status = await client.status()
    expect(status.unreadable).toBeUndefined()
    expect(status.eventCount).toBe(validUuids.size + storedUnclear.length)

    // The engine answers over every stored model call: the valid ones, plus the kept unclear ones
    // that still say they are model calls.
    const isModelCall = (input: unknown) => {
      const name = (input as { event?: unknown }).event
      return name === '$ai_generation' || name === '$ai_embedding'
    }
    const validModelCalls = new Set(cases.filter((fuzzCase) => fuzzCase.expectation.kind === 'valid' && isModelCall(fuzzCase.input)).map((fuzzCase) => fuzzCase.uuid))
    const calls = await client.query({ kind: 'aggregate', measures: ['count'] })
    expect(totalCount(calls)).toBe(validModelCalls.size + storedUnclear.filter((fuzzCase) => isModelCall(fuzzCase.input)).length)

    // Ingesting the valid events again stores nothing new: all of them are duplicates.
    const validAgain = cases.filter((fuzzCase) => fuzzCase.expectation.kind === 'valid').map((fuzzCase) => fuzzCase.input)
    let duplicateCount = 0
    for (let start = 0; start < validAgain.length; start += 2_000) {
      const again = await client.ingest(validAgain.slice(start, start + 2_000))
      expect(again).toMatchObject({ storedCount: 0, rejected: [] })
      duplicateCount += again.duplicateCount
    }
    expect(duplicateCount).toBe(validAgain.length)
    expect((await client.status()).eventCount).toBe(status.eventCount)
    // Nothing polluted this realm's prototypes on the way.
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('reports an event that cannot be copied to the worker in the rejected list of ingest(), at its own index', async () => {
    const client = makeClient()
    const [valid] = generateEvents({ size: 10, seed: 43 })
    const withFunction = { event: '$pageview', uuid: 'fn', distinct_id: 'u', properties: { callback: () => 'not data' } }
    const report = await client.ingest([withFunction, { event: '' }, valid])
    expect(report.storedCount).toBe(1)
    expect(report.rejected.map((rejection) => [rejection.index, rejection.problems[0]?.field])).toEqual([
      [0, 'event'],
      [1, 'event'],
    ])
    expect(report.rejected[0]?.problems[0]?.reason).toMatch(/cannot be copied to the worker/)
  })
})
