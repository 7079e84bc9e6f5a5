import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  runInteractionsQuery,
  type InteractionsKey,
  type InteractionsMeasures,
  type InteractionsQueryInput,
  type InteractionsRow,
  type InteractionsSpec,
} from '../../src/query/interactionsQuery'
import type { TimeRange } from '../../src/query/spec'
import { INTERACTION_KINDS, type InteractionKind } from '../../src/schema'
import { kernelInput, testEvent } from './support'

/** One event of a test, in domain terms; absent fields are absent. */
interface TestEvent {
  ts: string | number
  event: string
  user?: string
  traceId?: string
  /** `$ai_session_id`. */
  aiSession?: string
  /** `$session_id` (the browser session). */
  browserSession?: string
  /** `$ai_generation_id`: a generation's own id, or the generation an interaction concerns. */
  generationId?: string
  model?: string
  promptName?: string
  promptVersion?: string | number
  feature?: string
  interaction?: InteractionKind
}

/** Columns built the way the engine builds them. */
function buildInput(testEvents: readonly TestEvent[]): InteractionsQueryInput {
  const events = testEvents.map((test, index) =>
    testEvent(
      {
        event: test.event,
        ts: test.ts,
        distinctId: test.user ?? 'ana',
        properties: {
          $ai_trace_id: test.traceId,
          $ai_session_id: test.aiSession,
          $session_id: test.browserSession,
          $ai_generation_id: test.generationId,
          $ai_model: test.model,
          $ai_prompt_name: test.promptName,
          $ai_prompt_version: test.promptVersion,
          feature: test.feature,
          $ai_interaction: test.interaction,
        },
      },
      index,
    ),
  )
  return kernelInput(events, { dataVersion: 2 })
}

const interactions = (spec: Omit<InteractionsSpec, 'kind'>, input: InteractionsQueryInput) =>
  runInteractionsQuery({ kind: 'interactions', ...spec }, input)
const at = (time: string) => Date.parse(`2026-03-10T${time}Z`)

const generation = (ts: string, fields: Partial<TestEvent>): TestEvent => ({ ts: at(ts), event: '$ai_generation', ...fields })
const interaction = (ts: string, kind: InteractionKind, generationId?: string): TestEvent => ({
  ts: at(ts),
  event: '$ai_interaction',
  interaction: kind,
  traceId: 'trace',
  ...(generationId === undefined ? {} : { generationId }),
})
const conversion = (ts: string, browserSession: string, event = 'ticket_resolved'): TestEvent => ({ ts: at(ts), event, browserSession })

const SUPPORT = { promptName: 'support-reply' }
const EVENTS: TestEvent[] = [
  generation('10:00:00', { model: 'gpt-4o', ...SUPPORT, promptVersion: 1, feature: 'chat', generationId: 'g1', aiSession: 'a1', browserSession: 'w1' }),
  generation('10:05:00', { model: 'gpt-4o', ...SUPPORT, promptVersion: 2, feature: 'chat', generationId: 'g2', aiSession: 'a1', browserSession: 'w1' }),
  generation('11:00:00', { model: 'claude', ...SUPPORT, promptVersion: 2, feature: 'search', generationId: 'g3', aiSession: 'a2', browserSession: 'w2' }),
  // No generation id: nothing can point at it.
  generation('12:00:00', { model: 'claude', ...SUPPORT, promptVersion: 1, feature: 'search', aiSession: 'a3', browserSession: 'w3' }),
  generation('13:00:00', { model: 'gpt-4o', promptName: 'summary', promptVersion: 1, feature: 'chat', generationId: 'g5' }),
  interaction('10:01:00', 'accepted', 'g1'),
  interaction('10:01:30', 'copied', 'g1'),
  interaction('10:02:00', 'copied', 'g1'),
  interaction('10:06:00', 'rejected', 'g2'),
  interaction('10:07:00', 'regenerated', 'g2'),
  interaction('11:01:00', 'edited', 'g3'),
  // With a trace id only, and pointing at a generation that was never stored.
  interaction('11:02:00', 'accepted'),
  interaction('11:03:00', 'accepted', 'g-missing'),
  // After g1 but before g2 in w1; before g3 in w2; after the id-less generation in w3.
  conversion('10:03:00', 'w1'),
  conversion('10:59:00', 'w2'),
  conversion('12:30:00', 'w3'),
  conversion('11:30:00', 'w2', 'subscription_upgraded'),
]
// An interaction stored before the generation it concerns.
EVENTS.unshift(EVENTS.splice(10, 1)[0] as TestEvent)

const kinds = (values: Partial<Record<InteractionKind, number>>) =>
  Object.fromEntries(INTERACTION_KINDS.map((kind) => [kind, values[kind] ?? 0])) as Record<InteractionKind, number>
const rates = (generations: number, values: Partial<Record<InteractionKind, number>>) =>
  Object.fromEntries(INTERACTION_KINDS.map((kind) => [kind, (values[kind] ?? 0) / generations])) as Record<InteractionKind, number>

describe('interactions query', () => {
  it('counts interactions per model, their rates per generation and the funnel to a later conversion in the session', () => {
    const result = interactions({ by: 'model', conversionEvent: 'ticket_resolved' }, buildInput(EVENTS))
    expect(result).toEqual({
      kind: 'interactions',
      dataVersion: 2,
      by: 'model',
      conversionEvent: 'ticket_resolved',
      rows: [
        {
          key: 'gpt-4o',
          generations: 3,
          interactions: kinds({ accepted: 1, copied: 2, rejected: 1, regenerated: 1 }),
          generationsWith: kinds({ accepted: 1, copied: 1, rejected: 1, regenerated: 1 }),
          rates: rates(3, { accepted: 1, copied: 1, rejected: 1, regenerated: 1 }),
          // g1 and g2 got interactions; only g1 is followed by a conversion in its session.
          funnel: { generations: 3, interacted: 2, converted: 1 },
          sessionConversions: 1,
        },
        {
          key: 'claude',
          generations: 2,
          interactions: kinds({ edited: 1 }),
          generationsWith: kinds({ edited: 1 }),
          rates: rates(2, { edited: 1 }),
          // w2 converted before g3; the id-less generation's session converted, without an interaction.
          funnel: { generations: 2, interacted: 1, converted: 0 },
          sessionConversions: 1,
        },
      ],
      totals: {
        generations: 5,
        interactions: kinds({ accepted: 1, copied: 2, rejected: 1, regenerated: 1, edited: 1 }),
        generationsWith: kinds({ accepted: 1, copied: 1, rejected: 1, regenerated: 1, edited: 1 }),
        rates: rates(5, { accepted: 1, copied: 1, rejected: 1, regenerated: 1, edited: 1 }),
        funnel: { generations: 5, interacted: 3, converted: 1 },
        sessionConversions: 2,
      },
      unlinkedInteractions: 2,
    })
  })

  it('groups prompt versions within their prompt', () => {
    const result = interactions({ by: 'promptVersion', conversionEvent: 'ticket_resolved' }, buildInput(EVENTS))
    expect(result.rows.map((row) => [row.promptName, row.key, row.generations, row.funnel, row.sessionConversions])).toEqual([
      ['support-reply', '1', 2, { generations: 2, interacted: 1, converted: 1 }, 2],
      ['support-reply', '2', 2, { generations: 2, interacted: 2, converted: 0 }, 0],
      ['summary', '1', 1, { generations: 1, interacted: 0, converted: 0 }, 0],
    ])
    expect(result.rows[1]?.interactions).toEqual(kinds({ rejected: 1, regenerated: 1, edited: 1 }))
    const byFeature = interactions({ by: 'feature' }, buildInput(EVENTS))
    expect(byFeature.rows.map((row) => [row.key, row.generations, row.funnel.interacted])).toEqual([
      ['chat', 3, 2],
      ['search', 2, 1],
    ])
    expect(byFeature.rows[0]).not.toHaveProperty('promptName')
    expect(interactions({ by: 'promptName' }, buildInput(EVENTS)).rows.map((row) => [row.key, row.generations])).toEqual([
      ['support-reply', 4],
      ['summary', 1],
    ])
  })

  it('selects generations by range and filters; their interactions follow them', () => {
    const input = buildInput(EVENTS)
    const later = interactions({ by: 'model', range: { fromMs: at('10:04:00'), toMs: at('23:00:00') } }, input)
    expect(later.rows.map((row) => [row.key, row.generations, row.interactions])).toEqual([
      ['claude', 2, kinds({ edited: 1 })],
      ['gpt-4o', 2, kinds({ rejected: 1, regenerated: 1 })],
    ])
    // g1 is stored but out of range: its interactions are not unlinked.
    expect(later.unlinkedInteractions).toBe(2)
    const claude = interactions({ by: 'model', filters: [{ dimension: 'model', op: 'in', values: ['claude'] }] }, input)
    expect(claude.rows.map((row) => row.key)).toEqual(['claude'])
    expect(claude.totals.interactions).toEqual(kinds({ edited: 1 }))
    expect(claude.unlinkedInteractions).toBe(2)
  })

  it('stops the funnel without a conversion event, and finds none for an unknown one', () => {
    const input = buildInput(EVENTS)
    const without = interactions({ by: 'model' }, input)
    expect(without.conversionEvent).toBeNull()
    expect(without.totals.funnel).toEqual({ generations: 5, interacted: 3, converted: null })
    expect(without.totals.sessionConversions).toBeNull()
    const unknown = interactions({ by: 'model', conversionEvent: 'never_happens' }, input)
    expect(unknown.totals.funnel.converted).toBe(0)
    expect(unknown.totals.sessionConversions).toBe(0)
    expect(interactions({ by: 'model', conversionEvent: 'subscription_upgraded' }, input).totals.sessionConversions).toBe(1)
  })

  it('meets conversions through $session_id, else through $ai_session_id', () => {
    const spec = { by: 'model', conversionEvent: 'ticket_resolved' } as const
    // Generations with an `$ai_session_id` only: the conversions, which carry a `$session_id` only, are in none of their sessions.
    const aiOnly = EVENTS.map((event) => (event.event === '$ai_generation' ? { ...event, browserSession: undefined } : event))
    expect(interactions(spec, buildInput(aiOnly)).totals).toMatchObject({ funnel: { converted: 0 }, sessionConversions: 0 })
    // Conversions that carry the same `$ai_session_id` are met through it.
    const aiSessionOf: Record<string, string> = { w1: 'a1', w2: 'a2', w3: 'a3' }
    const sharedAi = aiOnly.map((event) =>
      event.event === 'ticket_resolved' ? { ...event, browserSession: undefined, aiSession: aiSessionOf[event.browserSession ?? ''] } : event,
    )
    expect(interactions(spec, buildInput(sharedAi)).totals).toMatchObject({ funnel: { converted: 1 }, sessionConversions: 2 })
  })

  it('refuses invalid specs', () => {
    expect(() => interactions({ by: 'user' as InteractionsKey }, buildInput(EVENTS))).toThrow(RangeError)
  })
})

// ---------------------------------------------------------------- property: against a reference over plain rows

const IDS = ['g1', 'g2', 'g3', 'g4']
const BASE_MS = at('09:00:00')
const MINUTE_MS = 60_000

const eventArbitrary = fc.oneof(
  fc.record({
    ts: fc.integer({ min: 0, max: 60 }).map((minute) => BASE_MS + minute * MINUTE_MS),
    event: fc.constant('$ai_generation'),
    generationId: fc.option(fc.constantFrom(...IDS), { nil: undefined }),
    model: fc.option(fc.constantFrom('gpt-4o', 'claude'), { nil: undefined }),
    promptName: fc.option(fc.constantFrom('reply', 'summary'), { nil: undefined }),
    promptVersion: fc.option(fc.constantFrom('1', '2'), { nil: undefined }),
    feature: fc.option(fc.constantFrom('chat', 'search'), { nil: undefined }),
    aiSession: fc.option(fc.constantFrom('a1', 'a2'), { nil: undefined }),
    browserSession: fc.option(fc.constantFrom('w1', 'w2'), { nil: undefined }),
  }),
  fc.record({
    ts: fc.integer({ min: 0, max: 60 }).map((minute) => BASE_MS + minute * MINUTE_MS),
    event: fc.constant('$ai_interaction'),
    interaction: fc.constantFrom(...INTERACTION_KINDS),
    traceId: fc.constant('trace'),
    generationId: fc.option(fc.constantFrom(...IDS, 'g-missing'), { nil: undefined }),
    aiSession: fc.option(fc.constantFrom('a1', 'a2'), { nil: undefined }),
  }),
  fc.record({
    ts: fc.integer({ min: 0, max: 60 }).map((minute) => BASE_MS + minute * MINUTE_MS),
    event: fc.constantFrom('convert', '$pageview'),
    aiSession: fc.option(fc.constantFrom('a1', 'a2'), { nil: undefined }),
    browserSession: fc.option(fc.constantFrom('w1', 'w2'), { nil: undefined }),
  }),
)

function referenceInteractions(
  events: readonly TestEvent[],
  by: InteractionsKey,
  range: TimeRange | undefined,
  conversionEvent: string | undefined,
) {
  const sessionKey = (event: TestEvent) =>
    event.browserSession !== undefined
      ? `browser:${event.browserSession}`
      : (event.aiSession ?? event.browserSession) === undefined
        ? null
        : `session:${event.aiSession ?? event.browserSession}`
  const inRange = (event: TestEvent) => range === undefined || ((event.ts as number) >= range.fromMs && (event.ts as number) < range.toMs)
  const generations = events.filter((event) => event.event === '$ai_generation')
  const selected = generations.filter(inRange)
  const keyOf = (event: TestEvent) => {
    const text = (value: unknown) => (value === undefined ? null : String(value))
    return by === 'promptVersion' ? [text(event.promptName), text(event.promptVersion)] : [text(event[by])]
  }
  // Each interaction goes to the last selected generation with its id.
  const interactionsOf = new Map<TestEvent, TestEvent[]>(selected.map((event) => [event, []]))
  let unlinked = 0
  for (const event of events.filter((candidate) => candidate.event === '$ai_interaction')) {
    const target = selected.filter((candidate) => candidate.generationId !== undefined && candidate.generationId === event.generationId).at(-1)
    if (target !== undefined) {
      interactionsOf.get(target)?.push(event)
    } else if (!generations.some((candidate) => candidate.generationId !== undefined && candidate.generationId === event.generationId)) {
      unlinked += 1
    }
  }
  const converts = (generation: TestEvent) =>
    sessionKey(generation) !== null &&
    events.some((event) => event.event === conversionEvent && sessionKey(event) === sessionKey(generation) && (event.ts as number) > (generation.ts as number))
  const measures = (members: readonly TestEvent[]): InteractionsMeasures => {
    const count = (kind: InteractionKind) => members.reduce((total, member) => total + (interactionsOf.get(member) ?? []).filter((event) => event.interaction === kind).length, 0)
    const withKind = (kind: InteractionKind) => members.filter((member) => (interactionsOf.get(member) ?? []).some((event) => event.interaction === kind)).length
    const interacted = members.filter((member) => (interactionsOf.get(member) ?? []).length > 0)
    return {
      generations: members.length,
      interactions: Object.fromEntries(INTERACTION_KINDS.map((kind) => [kind, count(kind)])) as Record<InteractionKind, number>,
      generationsWith: Object.fromEntries(INTERACTION_KINDS.map((kind) => [kind, withKind(kind)])) as Record<InteractionKind, number>,
      rates: Object.fromEntries(INTERACTION_KINDS.map((kind) => [kind, members.length === 0 ? null : withKind(kind) / members.length])) as Record<
        InteractionKind,
        number | null
      >,
      funnel: { generations: members.length, interacted: interacted.length, converted: conversionEvent === undefined ? null : interacted.filter(converts).length },
      sessionConversions: conversionEvent === undefined ? null : members.filter(converts).length,
    }
  }
  const groups = new Map<string, TestEvent[]>()
  for (const event of selected) {
    const key = JSON.stringify(keyOf(event))
    groups.set(key, [...(groups.get(key) ?? []), event])
  }
  const compare = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1)
  const rows: InteractionsRow[] = [...groups]
    .map(([key, members]) => ({ key: JSON.parse(key) as (string | null)[], members }))
    .sort((a, b) => b.members.length - a.members.length || compare(a.key[0] ?? null, b.key[0] ?? null) || compare(a.key[1] ?? null, b.key[1] ?? null))
    .map(({ key, members }) =>
      by === 'promptVersion'
        ? { key: key[1] ?? null, promptName: key[0] ?? null, ...measures(members) }
        : { key: key[0] ?? null, ...measures(members) },
    )
  return { rows, totals: measures(selected), unlinkedInteractions: unlinked }
}

describe('interactions query, property', () => {
  it('equals the reference on random generations, interactions and conversions', () => {
    fc.assert(
      fc.property(
        fc.array(eventArbitrary, { maxLength: 40 }),
        fc.constantFrom<InteractionsKey>('model', 'promptVersion', 'feature', 'promptName'),
        fc.option(
          fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map(([from, length]) => ({
            fromMs: BASE_MS + from * MINUTE_MS,
            toMs: BASE_MS + (from + length) * MINUTE_MS,
          })),
          { nil: undefined },
        ),
        fc.option(fc.constantFrom('convert', 'missing'), { nil: undefined }),
        (events, by, range, conversionEvent) => {
          const spec = { by, ...(range === undefined ? {} : { range }), ...(conversionEvent === undefined ? {} : { conversionEvent }) }
          const actual = interactions(spec, buildInput(events))
          expect(actual).toEqual({
            kind: 'interactions',
            dataVersion: 2,
            by,
            conversionEvent: conversionEvent ?? null,
            ...referenceInteractions(events, by, range, conversionEvent),
          })
        },
      ),
      { numRuns: 300 },
    )
  })
})
