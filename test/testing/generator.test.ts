import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { AI_EVENT_NAMES, INTERACTION_EVENT, INTERACTION_KINDS, type AiscopeEvent } from '../../src/schema/events'
import { generateEventBatches, generateEvents, telemetryCatalog } from '../../src/testing'
import { burstStartMs, IsoTimestampFormatter } from '../../src/testing/generator'

const DAY_MS = 86_400_000
const DEFAULT_END_MS = Date.UTC(2026, 10, 27)
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const ISO_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
const TOKEN_PROPERTIES = [
  '$ai_input_tokens',
  '$ai_output_tokens',
  '$ai_cache_read_input_tokens',
  '$ai_cache_creation_input_tokens',
  '$ai_reasoning_tokens',
] as const
const COST_PROPERTIES = ['$ai_input_cost_usd', '$ai_output_cost_usd', '$ai_total_cost_usd'] as const
const AI_EVENTS = new Set<string>([...AI_EVENT_NAMES, INTERACTION_EVENT])

function numberProperty(event: AiscopeEvent, key: string): number | undefined {
  const value = event.properties[key]
  return typeof value === 'number' ? value : undefined
}

function stringProperty(event: AiscopeEvent, key: string): string | undefined {
  const value = event.properties[key]
  return typeof value === 'string' ? value : undefined
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right)
  return sorted[Math.floor(sorted.length / 2)] as number
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

/** Which failure class an `$ai_error` describes, from its name, status and type. */
function errorKindOf(generation: AiscopeEvent): string {
  const error = JSON.parse(stringProperty(generation, '$ai_error') ?? 'null') as {
    name: string
    status?: number
    type?: string
  }
  if (error.status === 429) {
    return 'rate_limit'
  }
  if (error.name === 'APIConnectionTimeoutError' || error.status === 504) {
    return 'timeout'
  }
  if (error.type === 'content_filter') {
    return 'content_filter'
  }
  if (error.status !== undefined && error.status >= 500) {
    return 'server_error'
  }
  return `unexpected: ${JSON.stringify(error)}`
}

describe('generateEventBatches / generateEvents: determinism', () => {
  afterEach(() => {
    vi.restoreAllMocks()
  })

  it('gives byte-identical events for the same seed and options, and never calls Math.random', () => {
    const randomSpy = vi.spyOn(Math, 'random')
    const first = JSON.stringify(generateEvents({ size: 3_000, seed: 7 }))
    const second = JSON.stringify(generateEvents({ size: 3_000, seed: 7 }))
    expect(second).toBe(first)
    expect(randomSpy).not.toHaveBeenCalled()
  })

  it('gives different events for a different seed', () => {
    const seven = generateEvents({ size: 1_000, seed: 7 })
    const eight = generateEvents({ size: 1_000, seed: 8 })
    expect(JSON.stringify(eight)).not.toBe(JSON.stringify(seven))
    const sevenUuids = new Set(seven.map((event) => event.uuid))
    expect(eight.filter((event) => sevenUuids.has(event.uuid))).toEqual([])
  })

  it('defaults the seed to 1', () => {
    expect(JSON.stringify(generateEvents({ size: 500 }))).toBe(JSON.stringify(generateEvents({ size: 500, seed: 1 })))
  })

  it('emits the same sequence whatever the batch size', () => {
    const inSmallBatches = [...generateEventBatches({ size: 5_000, seed: 3, batchSize: 7 })]
    const inLargeBatches = [...generateEventBatches({ size: 5_000, seed: 3, batchSize: 5_000 })]
    expect(inSmallBatches).toHaveLength(Math.ceil(5_000 / 7))
    expect(inLargeBatches).toHaveLength(1)
    expect(JSON.stringify(inSmallBatches.flat())).toBe(JSON.stringify(inLargeBatches.flat()))
  })
})

describe('generateEventBatches / generateEvents: sizes and options', () => {
  it.each([10, 1_000, 12_345])('emits exactly %i events', (size) => {
    expect(generateEvents({ size, seed: 5 })).toHaveLength(size)
  })

  it('never emits a batch larger than batchSize, and only the last one is short', () => {
    const lengths = [...generateEventBatches({ size: 12_345, batchSize: 1_000 })].map((batch) => batch.length)
    expect(lengths).toEqual([...Array<number>(12).fill(1_000), 345])
  })

  it.each([0, 9, 1_000_001, Number.NaN, 10.5])('throws a RangeError naming size for size %s', (size) => {
    expect(() => generateEventBatches({ size })).toThrow(RangeError)
    expect(() => generateEventBatches({ size })).toThrow(/size/)
  })

  it('refuses more than 100k events in one array', () => {
    expect(() => generateEvents({ size: 100_001 })).toThrow(RangeError)
    expect(() => generateEvents({ size: 100_001 })).toThrow(/generateEventBatches/)
  })

  it('rejects invalid batchSize, days and endMs', () => {
    expect(() => generateEventBatches({ size: 100, batchSize: 0 })).toThrow(/batchSize/)
    expect(() => generateEventBatches({ size: 100, days: 0.5 })).toThrow(/days/)
    expect(() => generateEventBatches({ size: 100, endMs: Number.POSITIVE_INFINITY })).toThrow(/endMs/)
  })

  it('keeps every event inside a custom window', () => {
    const endMs = Date.UTC(2025, 2, 1, 12)
    const events = generateEvents({ size: 2_000, endMs, days: 2 })
    const times = events.map((event) => Date.parse(event.timestamp))
    expect(Math.min(...times)).toBeGreaterThanOrEqual(endMs - 2 * DAY_MS)
    expect(Math.max(...times)).toBeLessThanOrEqual(endMs)
  })
})

describe('a 20k run: validity and units of every event', () => {
  const windowStartMs = DEFAULT_END_MS - 30 * DAY_MS
  let events: AiscopeEvent[]
  let generations: AiscopeEvent[]

  beforeAll(() => {
    events = generateEvents({ size: 20_000, seed: 42 })
    generations = events.filter((event) => event.event === '$ai_generation')
  })

  it('gives every event a unique v4-shaped uuid', () => {
    expect(events.every((event) => UUID_V4.test(event.uuid))).toBe(true)
    expect(new Set(events.map((event) => event.uuid)).size).toBe(events.length)
  })

  it('stamps ISO timestamps inside the window, covering all of it', () => {
    const invalid = events.filter((event) => {
      const timeMs = Date.parse(event.timestamp)
      return !ISO_TIMESTAMP.test(event.timestamp) || timeMs < windowStartMs || timeMs > DEFAULT_END_MS
    })
    expect(invalid).toEqual([])
    const times = events.map((event) => Date.parse(event.timestamp))
    expect(Math.min(...times) - windowStartMs).toBeLessThan(DAY_MS)
    expect(DEFAULT_END_MS - Math.max(...times)).toBeLessThan(DAY_MS)
  })

  it('starts sessions in increasing time order and keeps each session in time order', () => {
    const lastTimeBySession = new Map<string, number>()
    const sessionStarts: number[] = []
    for (const event of events) {
      const sessionId = stringProperty(event, '$session_id')
      expect(sessionId).toBeDefined()
      const timeMs = Date.parse(event.timestamp)
      const previousMs = lastTimeBySession.get(sessionId as string)
      if (previousMs === undefined) {
        sessionStarts.push(timeMs)
      } else {
        expect(timeMs).toBeGreaterThanOrEqual(previousMs)
      }
      lastTimeBySession.set(sessionId as string, timeMs)
    }
    expect(sessionStarts.length).toBeGreaterThan(500)
    expect(sessionStarts.every((timeMs, index) => index === 0 || timeMs > (sessionStarts[index - 1] as number))).toBe(
      true,
    )
  })

  it('reports latency in seconds: finite, non-negative, plausible', () => {
    const latencies = events.flatMap((event) => {
      const latency = numberProperty(event, '$ai_latency')
      return latency === undefined ? [] : [latency]
    })
    expect(latencies.length).toBeGreaterThan(5_000)
    expect(latencies.every((latency) => Number.isFinite(latency) && latency >= 0 && latency < 600)).toBe(true)
    const generationMedian = median(generations.map((event) => numberProperty(event, '$ai_latency') as number))
    expect(generationMedian).toBeGreaterThan(0.1)
    expect(generationMedian).toBeLessThan(30)
  })

  it('keeps time to first token within the latency, on streamed calls only', () => {
    const withTtft = generations.filter((event) => event.properties.$ai_time_to_first_token !== undefined)
    expect(withTtft.length).toBeGreaterThan(100)
    for (const event of withTtft) {
      const ttft = numberProperty(event, '$ai_time_to_first_token') as number
      expect(ttft).toBeGreaterThan(0)
      expect(ttft).toBeLessThanOrEqual(numberProperty(event, '$ai_latency') as number)
      expect((event.properties.$ai_model_parameters as Record<string, unknown>).stream).toBe(true)
    }
  })

  it('counts tokens as non-negative integers', () => {
    for (const event of events) {
      for (const key of TOKEN_PROPERTIES) {
        const value = event.properties[key]
        if (value !== undefined) {
          expect(Number.isInteger(value) && (value as number) >= 0, `${key} = ${String(value)}`).toBe(true)
        }
      }
    }
  })

  it('reports costs in USD with total = input + output, all three or none', () => {
    let priced = 0
    for (const event of events) {
      const present = COST_PROPERTIES.filter((key) => event.properties[key] !== undefined)
      expect([0, 3]).toContain(present.length)
      if (present.length === 3) {
        priced++
        const [input, output, total] = COST_PROPERTIES.map((key) => numberProperty(event, key) as number)
        expect(Number.isFinite(total) && (input as number) >= 0 && (output as number) >= 0).toBe(true)
        expect(Math.abs((total as number) - ((input as number) + (output as number)))).toBeLessThan(1e-9)
      }
    }
    expect(priced).toBeGreaterThan(1_000)
  })

  it('prices generations from the catalogue list prices', () => {
    const prices = new Map(telemetryCatalog.models.map((model) => [model.id, model]))
    const checked = generations.filter(
      (event) => event.properties.$ai_total_cost_usd !== undefined && prices.has(stringProperty(event, '$ai_model') ?? ''),
    )
    expect(checked.length).toBeGreaterThan(1_000)
    for (const event of checked) {
      const model = prices.get(stringProperty(event, '$ai_model') as string)!
      const outputTokens = numberProperty(event, '$ai_output_tokens') as number
      expect(numberProperty(event, '$ai_output_cost_usd')).toBeCloseTo((outputTokens * model.outputUsdPerMillionTokens) / 1e6, 12)
      const inputTokens = numberProperty(event, '$ai_input_tokens') as number
      const cacheRead = numberProperty(event, '$ai_cache_read_input_tokens') ?? 0
      const cacheWrite = numberProperty(event, '$ai_cache_creation_input_tokens') ?? 0
      const expectedInputUsd = event.properties.$ai_cache_reporting_exclusive
        ? (inputTokens * model.inputUsdPerMillionTokens +
            cacheRead * model.cacheReadUsdPerMillionTokens +
            cacheWrite * (model.cacheWriteUsdPerMillionTokens as number)) /
          1e6
        : ((inputTokens - cacheRead) * model.inputUsdPerMillionTokens + cacheRead * model.cacheReadUsdPerMillionTokens) /
          1e6
      expect(numberProperty(event, '$ai_input_cost_usd')).toBeCloseTo(expectedInputUsd, 12)
    }
  })

  it('marks failed calls like @posthog/ai: JSON error, status, no tokens, empty output', () => {
    const failed = events.filter((event) => event.properties.$ai_is_error !== undefined)
    expect(failed.length).toBeGreaterThan(50)
    for (const event of failed) {
      expect(event.properties.$ai_is_error).toBe(true)
      const error = JSON.parse(stringProperty(event, '$ai_error') as string) as Record<string, unknown>
      expect(typeof error.name).toBe('string')
      expect(typeof error.message).toBe('string')
      const status = numberProperty(event, '$ai_http_status') as number
      expect(status >= 400 || status === 0).toBe(true)
      for (const key of [...TOKEN_PROPERTIES, ...COST_PROPERTIES]) {
        expect(event.properties[key]).toBeUndefined()
      }
      if (event.event === '$ai_generation') {
        expect(event.properties.$ai_output_choices).toEqual([])
      }
    }
    const succeeded = generations.filter((event) => event.properties.$ai_is_error === undefined)
    expect(succeeded.every((event) => event.properties.$ai_http_status === 200)).toBe(true)
    expect(succeeded.every((event) => typeof event.properties.$ai_output_tokens === 'number')).toBe(true)
  })

  it('reports cache tokens the way each provider does', () => {
    for (const event of generations) {
      const provider = stringProperty(event, '$ai_provider')
      if (event.properties.$ai_is_error) {
        continue
      }
      expect(event.properties.$ai_cache_reporting_exclusive).toBe(provider === 'anthropic')
      const cacheRead = numberProperty(event, '$ai_cache_read_input_tokens')
      if (cacheRead !== undefined) {
        expect(cacheRead).toBeGreaterThan(0)
        if (provider !== 'anthropic') {
          // Inclusive reporting: the cached prefix is part of the input tokens.
          expect(cacheRead).toBeLessThanOrEqual(numberProperty(event, '$ai_input_tokens') as number)
        }
      }
      if (event.properties.$ai_cache_creation_input_tokens !== undefined) {
        expect(provider).toBe('anthropic')
      }
    }
  })

  it('puts $ai_trace_id and the shared library properties on every AI event', () => {
    for (const event of events.filter((candidate) => AI_EVENTS.has(candidate.event))) {
      expect(stringProperty(event, '$ai_trace_id'), event.event).toMatch(UUID_V4)
      if (event.event !== '$ai_evaluation' && event.event !== INTERACTION_EVENT) {
        expect(event.properties.$ai_lib).toBe('posthog-ai')
        expect(event.properties.$ai_lib_version).toBe('8.13.1')
        expect(event.properties.$lib).toBe('posthog-node')
        expect(stringProperty(event, '$ai_session_id')).toMatch(UUID_V4)
      }
    }
  })

  it('links every $ai_parent_id to a span or the trace, and nests children in time', () => {
    const spansById = new Map<string, AiscopeEvent>()
    const tracesById = new Map<string, AiscopeEvent>()
    for (const event of events) {
      if (event.event === '$ai_span') {
        spansById.set(stringProperty(event, '$ai_span_id') as string, event)
      }
      if (event.event === '$ai_trace') {
        tracesById.set(stringProperty(event, '$ai_trace_id') as string, event)
      }
    }
    let linked = 0
    for (const event of events) {
      const parentId = stringProperty(event, '$ai_parent_id')
      if (parentId === undefined) {
        continue
      }
      linked++
      const traceId = stringProperty(event, '$ai_trace_id')
      const parent = spansById.get(parentId) ?? tracesById.get(parentId)
      expect(parent, `parent of ${event.event} ${event.uuid}`).toBeDefined()
      expect(stringProperty(parent as AiscopeEvent, '$ai_trace_id')).toBe(traceId)
      const parentStartMs = Date.parse((parent as AiscopeEvent).timestamp)
      const parentEndMs = parentStartMs + 1000 * (numberProperty(parent as AiscopeEvent, '$ai_latency') as number)
      const startMs = Date.parse(event.timestamp)
      const endMs = startMs + 1000 * (numberProperty(event, '$ai_latency') ?? 0)
      expect(startMs).toBeGreaterThanOrEqual(parentStartMs)
      expect(endMs).toBeLessThanOrEqual(parentEndMs + 1e-6)
    }
    expect(linked).toBeGreaterThan(5_000)
  })

  it('targets evaluations at existing generations of the same trace', () => {
    const generationsByUuid = new Map(generations.map((event) => [event.uuid, event]))
    const evaluations = events.filter((event) => event.event === '$ai_evaluation')
    expect(evaluations.length).toBeGreaterThan(100)
    for (const evaluation of evaluations) {
      const target = generationsByUuid.get(stringProperty(evaluation, '$ai_target_event_id') as string)
      expect(target).toBeDefined()
      expect(evaluation.properties.$ai_target_type).toBe('generation_uuid')
      expect(evaluation.properties.$ai_evaluation_type).toBe('online')
      expect(evaluation.properties.$ai_trace_id).toBe(target?.properties.$ai_trace_id)
      expect(evaluation.properties.$ai_prompt_version).toBe(target?.properties.$ai_prompt_version)
      expect(Date.parse(evaluation.timestamp)).toBeGreaterThan(Date.parse((target as AiscopeEvent).timestamp))
      const score = evaluation.properties.$ai_evaluation_numeric_result
      if (score !== undefined) {
        expect(score as number).toBeGreaterThanOrEqual(0)
        expect(score as number).toBeLessThanOrEqual(1)
      }
    }
  })

  it('points interactions at an existing generation through $ai_generation_id', () => {
    const generationsById = new Map(
      generations.flatMap((event) => {
        const generationId = stringProperty(event, '$ai_generation_id')
        return generationId === undefined ? [] : [[generationId, event] as const]
      }),
    )
    expect([...generationsById].every(([generationId, event]) => generationId === event.uuid)).toBe(true)
    const interactions = events.filter((event) => event.event === INTERACTION_EVENT)
    expect(interactions.length).toBeGreaterThan(500)
    for (const interaction of interactions) {
      const generation = generationsById.get(stringProperty(interaction, '$ai_generation_id') as string)
      expect(generation).toBeDefined()
      expect(interaction.properties.$ai_trace_id).toBe(generation?.properties.$ai_trace_id)
      expect(interaction.properties.feature).toBe(generation?.properties.feature)
      expect(Date.parse(interaction.timestamp)).toBeGreaterThan(Date.parse((generation as AiscopeEvent).timestamp))
      const editDistance = interaction.properties.$ai_edit_distance
      expect(editDistance === undefined).toBe(interaction.properties.$ai_interaction !== 'edited')
    }
  })

  it('keys anonymous events by trace id without a person profile, about 3% of events', () => {
    const anonymous = events.filter((event) => event.properties.$process_person_profile === false)
    expect(anonymous.every((event) => event.distinct_id === event.properties.$ai_trace_id)).toBe(true)
    expect(anonymous.length / events.length).toBeGreaterThan(0.015)
    expect(anonymous.length / events.length).toBeLessThan(0.06)
    const identified = events.filter((event) => event.properties.$process_person_profile === undefined)
    expect(identified.every((event) => /^user_\d{4}$/.test(event.distinct_id))).toBe(true)
    const organisations = new Set(telemetryCatalog.organisations.map((organisation) => organisation.id))
    expect(
      events.every((event) => organisations.has((event.properties.$groups as Record<string, string>).company as string)),
    ).toBe(true)
  })
})

describe('a 20k run: coverage', () => {
  let events: AiscopeEvent[]
  let generations: AiscopeEvent[]
  let namesSeen: Set<string>

  beforeAll(() => {
    events = generateEvents({ size: 20_000, seed: 42 })
    generations = events.filter((event) => event.event === '$ai_generation')
    namesSeen = new Set(events.map((event) => event.event))
  })

  function valuesOf(source: readonly AiscopeEvent[], key: string): Set<unknown> {
    return new Set(source.map((event) => event.properties[key]))
  }

  it('has every provider, chat model, embedding model and feature', () => {
    expect([...valuesOf(generations, '$ai_provider')].sort()).toEqual([...telemetryCatalog.providerIds].sort())
    const models = valuesOf(generations, '$ai_model')
    for (const modelId of telemetryCatalog.chatModelIds) {
      expect(models.has(modelId), modelId).toBe(true)
    }
    const embeddings = events.filter((event) => event.event === '$ai_embedding')
    expect([...valuesOf(embeddings, '$ai_model')]).toEqual([...telemetryCatalog.embeddingModelIds])
    expect([...valuesOf(generations, 'feature')].sort()).toEqual([...telemetryCatalog.featureNames].sort())
  })

  it('has every error kind', () => {
    const failed = generations.filter((event) => event.properties.$ai_is_error === true)
    expect([...new Set(failed.map(errorKindOf))].sort()).toEqual([...telemetryCatalog.errorKinds].sort())
  })

  it('has every interaction kind and both experiment variants', () => {
    const interactions = events.filter((event) => event.event === INTERACTION_EVENT)
    expect([...valuesOf(interactions, '$ai_interaction')].sort()).toEqual([...INTERACTION_KINDS].sort())
    const flagCalls = events.filter((event) => event.event === '$feature_flag_called')
    expect([...valuesOf(flagCalls, '$feature_flag')]).toEqual([telemetryCatalog.experiment.flagKey])
    expect([...valuesOf(flagCalls, '$feature_flag_response')].sort()).toEqual(['control', 'test'])
  })

  it('gives experiment sessions one flag call and the $feature/ property on every event', () => {
    const flagKey = `$feature/${telemetryCatalog.experiment.flagKey}`
    const flagCallsBySession = new Map<string, number>()
    for (const event of events.filter((candidate) => candidate.event === '$feature_flag_called')) {
      const sessionId = stringProperty(event, '$session_id') as string
      flagCallsBySession.set(sessionId, (flagCallsBySession.get(sessionId) ?? 0) + 1)
      expect(event.properties[flagKey]).toBe(event.properties.$feature_flag_response)
    }
    expect(Math.max(...flagCallsBySession.values())).toBe(1)
    for (const event of events) {
      if (event.event === '$ai_evaluation') {
        continue
      }
      const inExperiment = flagCallsBySession.has(stringProperty(event, '$session_id') as string)
      expect(event.properties[flagKey] !== undefined).toBe(inExperiment)
    }
    const draftModels = (variant: string) =>
      valuesOf(
        generations.filter((event) => event.properties.feature === 'draft-reply' && event.properties[flagKey] === variant),
        '$ai_model',
      )
    expect([...draftModels('test')].every((model) => String(model).startsWith('claude-haiku-4-5') || model === 'acme-llm-1')).toBe(true)
    expect([...draftModels('control')].every((model) => String(model).startsWith('gpt-4o-mini') || model === 'acme-llm-1')).toBe(true)
  })

  it('has streamed and non-streamed calls, cache reads and writes, reasoning only on reasoning models', () => {
    const succeeded = generations.filter((event) => event.properties.$ai_is_error === undefined)
    const streamed = succeeded.filter(
      (event) => (event.properties.$ai_model_parameters as Record<string, unknown>).stream === true,
    )
    expect(streamed.length / succeeded.length).toBeGreaterThan(0.35)
    expect(streamed.length / succeeded.length).toBeLessThan(0.65)
    expect(succeeded.some((event) => numberProperty(event, '$ai_cache_read_input_tokens')! > 0)).toBe(true)
    expect(succeeded.some((event) => numberProperty(event, '$ai_cache_creation_input_tokens')! > 0)).toBe(true)
    const reasoningModels = new Set(
      succeeded.filter((event) => event.properties.$ai_reasoning_tokens !== undefined).map((event) => event.properties.$ai_model),
    )
    expect(reasoningModels.has('o3-mini')).toBe(true)
    expect(reasoningModels.has('gemini-2.5-pro')).toBe(true)
    const allowed = new Set(
      telemetryCatalog.models
        .filter((model) => model.reasoning)
        .flatMap((model) => [model.id, model.datedSnapshotId]),
    )
    expect([...reasoningModels].every((model) => allowed.has(model as string))).toBe(true)
    expect(succeeded.every((event) => event.properties.$ai_reasoning_tokens === undefined || numberProperty(event, '$ai_reasoning_tokens')! > 0)).toBe(true)
  })

  it('nests agent → tool → generation at least three levels deep', () => {
    const parentOf = new Map<string, string>()
    const typeOf = new Map<string, string>()
    for (const event of events.filter((candidate) => candidate.event === '$ai_span')) {
      const spanId = stringProperty(event, '$ai_span_id') as string
      parentOf.set(spanId, stringProperty(event, '$ai_parent_id') as string)
      typeOf.set(spanId, stringProperty(event, '$ai_span_type') as string)
    }
    const chains = generations.map((event) => {
      const chain: string[] = []
      let parentId = stringProperty(event, '$ai_parent_id')
      while (parentId !== undefined && typeOf.has(parentId)) {
        chain.push(typeOf.get(parentId) as string)
        parentId = parentOf.get(parentId)
      }
      expect(parentId).toBe(event.properties.$ai_trace_id)
      return chain.join('<')
    })
    // Depth 3 below the trace: generation < tool span < agent span.
    expect(chains).toContain('tool<agent')
    expect(chains).toContain('agent')
    expect(chains).toContain('')
  })

  it('has page views, exceptions linked to traces, evaluations of each evaluator, legacy events and conversions', () => {
    for (const name of ['$pageview', '$exception', '$ai_embedding', '$ai_trace', '$ai_span', '$ai_evaluation', '$ai_metric', '$ai_feedback', 'ticket_resolved']) {
      expect(namesSeen.has(name), name).toBe(true)
    }
    const aiExceptions = events.filter((event) => event.event === '$exception' && event.properties.$ai_trace_id !== undefined)
    expect(aiExceptions.length).toBeGreaterThan(10)
    const linkedGenerations = new Set(generations.map((event) => event.properties.$exception_event_id).filter(Boolean))
    expect(aiExceptions.every((event) => linkedGenerations.has(event.uuid))).toBe(true)
    const exceptionList = aiExceptions[0]?.properties.$exception_list as { type: string; mechanism: { handled: boolean } }[]
    expect(exceptionList[0]?.mechanism.handled).toBe(true)
    const evaluationNames = new Set(events.filter((event) => event.event === '$ai_evaluation').map((event) => event.properties.$ai_evaluation_name))
    expect([...evaluationNames].sort()).toEqual(telemetryCatalog.evaluators.map((evaluator) => evaluator.name).sort())
    const pageUrls = events.filter((event) => event.event === '$pageview').map((event) => stringProperty(event, '$current_url'))
    expect(pageUrls.every((url) => url?.startsWith('https://app.relaydesk.example/'))).toBe(true)
  })

  it('shapes output choices like the OpenAI wrapper, tool calls included', () => {
    const withToolCall = generations.find((event) => {
      const choices = event.properties.$ai_output_choices as { content: { type: string }[] }[]
      return choices[0]?.content.some((part) => part.type === 'function')
    })
    expect(withToolCall).toBeDefined()
    const choices = withToolCall?.properties.$ai_output_choices as { role: string; content: Record<string, unknown>[] }[]
    const choice = choices[0]
    expect(choice?.role).toBe('assistant')
    const call = choice?.content.find((part) => part.type === 'function') as { id: string; function: { name: string; arguments: string } }
    expect(call.id).toMatch(/^(call_|toolu_01)[0-9A-Za-z]+$/)
    expect(telemetryCatalog.toolNames).toContain(call.function.name)
    expect(typeof JSON.parse(call.function.arguments)).toBe('object')
    expect(Array.isArray(withToolCall?.properties.$ai_tools)).toBe(true)
    const input = withToolCall?.properties.$ai_input as { role: string }[]
    expect(input[0]?.role).toBe('system')
    expect(input[1]?.role).toBe('user')
  })
})

describe('a 50k run: the story in the data', () => {
  let events: AiscopeEvent[]
  let generationsByUuid: Map<string, AiscopeEvent>

  beforeAll(() => {
    events = generateEvents({ size: 50_000, seed: 11 })
    generationsByUuid = new Map(
      events.filter((event) => event.event === '$ai_generation').map((event) => [event.uuid, event]),
    )
  })

  it("switches the dropped prompt's version at its change point", () => {
    const { promptName, fromVersion, toVersion, changeFraction } = telemetryCatalog.qualityDrop
    const changeMs = DEFAULT_END_MS - 30 * DAY_MS + changeFraction * 30 * DAY_MS
    const versions = [...generationsByUuid.values()].filter((event) => event.properties.$ai_prompt_name === promptName)
    const old = versions.filter((event) => event.properties.$ai_prompt_version === fromVersion)
    const updated = versions.filter((event) => event.properties.$ai_prompt_version === toVersion)
    expect(old.length).toBeGreaterThan(200)
    expect(updated.length).toBeGreaterThan(200)
    expect(old.length + updated.length).toBe(versions.length)
    // Versions are chosen at trace start; a generation starts at most a few minutes later.
    expect(Math.max(...old.map((event) => Date.parse(event.timestamp)))).toBeLessThan(changeMs + 600_000)
    expect(Math.min(...updated.map((event) => Date.parse(event.timestamp)))).toBeGreaterThanOrEqual(changeMs)
  })

  it('scores the new prompt version at least 0.1 lower on helpfulness', () => {
    const { promptName, fromVersion, toVersion } = telemetryCatalog.qualityDrop
    const helpfulness = (version: number) =>
      events
        .filter(
          (event) =>
            event.event === '$ai_evaluation' &&
            event.properties.$ai_evaluation_name === 'helpfulness' &&
            event.properties.$ai_prompt_name === promptName &&
            event.properties.$ai_prompt_version === version,
        )
        .map((event) => numberProperty(event, '$ai_evaluation_numeric_result') as number)
    const before = helpfulness(fromVersion)
    const after = helpfulness(toVersion)
    expect(before.length).toBeGreaterThan(30)
    expect(after.length).toBeGreaterThan(30)
    expect(mean(before) - mean(after)).toBeGreaterThanOrEqual(0.1)
  })

  it('gets more rejected and regenerated answers on the new prompt version', () => {
    const { promptName, fromVersion, toVersion } = telemetryCatalog.qualityDrop
    const badShare = (version: number) => {
      const kinds = events
        .filter((event) => event.event === INTERACTION_EVENT)
        .flatMap((event) => {
          const generation = generationsByUuid.get(stringProperty(event, '$ai_generation_id') as string)
          return generation?.properties.$ai_prompt_name === promptName && generation.properties.$ai_prompt_version === version
            ? [event.properties.$ai_interaction]
            : []
        })
      expect(kinds.length).toBeGreaterThan(100)
      return kinds.filter((kind) => kind === 'rejected' || kind === 'regenerated').length / kinds.length
    }
    expect(badShare(toVersion)).toBeGreaterThan(badShare(fromVersion) + 0.05)
  })

  it('rate-limits the burst provider during the burst episode', () => {
    const { provider, httpStatus, durationMs } = telemetryCatalog.errorBurst
    const startMs = burstStartMs(DEFAULT_END_MS - 30 * DAY_MS, DEFAULT_END_MS)
    const calls = [...generationsByUuid.values()].filter((event) => event.properties.$ai_provider === provider)
    const inBurst = (event: AiscopeEvent) => {
      const timeMs = Date.parse(event.timestamp)
      return timeMs >= startMs && timeMs < startMs + durationMs
    }
    const limitedShare = (subset: AiscopeEvent[]) =>
      subset.filter((event) => event.properties.$ai_http_status === httpStatus).length / subset.length
    const during = calls.filter(inBurst)
    expect(during.length).toBeGreaterThan(20)
    expect(limitedShare(during)).toBeGreaterThan(5 * limitedShare(calls.filter((event) => !inBurst(event))))
  })

  it('leaves costs off about 20% of priced calls and always off the unknown model', () => {
    const succeeded = [...generationsByUuid.values()].filter((event) => event.properties.$ai_is_error === undefined)
    const unknown = succeeded.filter((event) => telemetryCatalog.unknownModelIds.includes(stringProperty(event, '$ai_model') as never))
    expect(unknown.length).toBeGreaterThan(0)
    expect(unknown.every((event) => event.properties.$ai_total_cost_usd === undefined)).toBe(true)
    const priced = succeeded.filter((event) => !unknown.includes(event))
    const withoutCost = priced.filter((event) => event.properties.$ai_total_cost_usd === undefined)
    expect(withoutCost.length / priced.length).toBeGreaterThan(0.15)
    expect(withoutCost.length / priced.length).toBeLessThan(0.25)
    const dated = succeeded.filter((event) => telemetryCatalog.datedModelIds.includes(stringProperty(event, '$ai_model') as string))
    expect(dated.length / succeeded.length).toBeGreaterThan(0.004)
    expect(dated.length / succeeded.length).toBeLessThan(0.02)
  })

  it('has a few heavy users (power-law usage)', () => {
    const countsByUser = new Map<string, number>()
    for (const event of events) {
      if (event.distinct_id.startsWith('user_')) {
        countsByUser.set(event.distinct_id, (countsByUser.get(event.distinct_id) ?? 0) + 1)
      }
    }
    const counts = [...countsByUser.values()].sort((left, right) => right - left)
    expect(counts.length).toBeGreaterThan(200)
    const topTenShare = counts.slice(0, 10).reduce((sum, count) => sum + count, 0) / events.length
    expect(topTenShare).toBeGreaterThan(0.15)
    expect(counts[0]! / median(counts)).toBeGreaterThan(10)
  })
})

describe('streaming', () => {
  it('streams 200k events batch by batch without holding them', () => {
    let total = 0
    let batches = 0
    let largest = 0
    for (const batch of generateEventBatches({ size: 200_000, seed: 9 })) {
      total += batch.length
      batches++
      largest = Math.max(largest, batch.length)
    }
    expect(total).toBe(200_000)
    expect(batches).toBe(40)
    expect(largest).toBe(5_000)
  })
})

describe('IsoTimestampFormatter', () => {
  it('formats exactly like Date#toISOString across days, ms and years', () => {
    const formatter = new IsoTimestampFormatter()
    const samples = [0, 1, 999, DAY_MS - 1, DAY_MS, DEFAULT_END_MS, DEFAULT_END_MS - 1, Date.UTC(1999, 11, 31, 23, 59, 59, 999)]
    for (let index = 0; index < 2_000; index++) {
      samples.push(DEFAULT_END_MS - index * 3_723_457)
    }
    samples.push(-1, -DAY_MS - 1, 253402300800000)
    for (const timeMs of samples) {
      expect(formatter.format(timeMs)).toBe(new Date(timeMs).toISOString())
    }
  })
})
