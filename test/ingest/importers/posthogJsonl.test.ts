import { describe, expect, it } from 'vitest'
import { formatImportProblem, readImport } from '../../../src/ingest/importers'
import { createPosthogJsonlParser } from '../../../src/ingest/importers/posthogEvents'
import type { CaptureInput } from '../../../src/ingest/captureTarget'
import { collectImport, fixtureBytes, fixtureText, propertiesOf, tinyChunkStream } from './importTestUtils'

describe('posthog-jsonl: a PostHog export with a broken line in the middle', () => {
  it('imports every other event and names the broken lines by number', async () => {
    const result = await collectImport(readImport(fixtureText('posthog-export.jsonl'), { format: 'posthog-jsonl' }))

    expect(result.events.map((event) => event.uuid)).toEqual([
      '01a21c32-22aa-78cf-b88f-8a6a7ecd1521',
      '01a21c32-22aa-78cf-b88f-8a6a7ecd1522',
      '01a21c32-22aa-78cf-b88f-8a6a7ecd1523',
      '01a21c32-22aa-78cf-b88f-8a6a7ecd1525',
      '01a21c32-22aa-78cf-b88f-8a6a7ecd1526',
      '01a21c32-22aa-78cf-b88f-8a6a7ecd1527',
    ])
    expect(result.locations).toEqual(['line 1', 'line 2', 'line 4', 'line 6', 'line 8', 'line 9'])
    expect(result.problems).toHaveLength(2)
    expect(result.problems[0]?.location).toBe('line 5')
    expect(result.problems[0]?.message).toMatch(/^not valid JSON \(.+\)$/)
    expect(result.problems[1]).toEqual({
      location: 'line 7',
      message: 'expected an object with an "event" string, got no "event" field',
    })
    expect(formatImportProblem(result.problems[1] as { location: string; message: string })).toBe(
      'line 7: expected an object with an "event" string, got no "event" field',
    )
    expect(result.summary).toEqual({ eventCount: 6, problemCount: 2, bytesRead: fixtureBytes('posthog-export.jsonl').length })
  })

  it('keeps the envelope and the $ai_* properties as PostHog wrote them', async () => {
    const { events } = await collectImport(readImport(fixtureText('posthog-export.jsonl'), { format: 'posthog-jsonl' }))
    const generation = events[0] as CaptureInput
    expect(generation).toMatchObject({
      event: '$ai_generation',
      distinct_id: 'user_123',
      timestamp: '2026-11-27T08:49:37.450Z',
    })
    expect(propertiesOf(generation)).toMatchObject({
      $ai_model: 'gpt-4o-mini',
      $ai_input_tokens: 120,
      $ai_latency: 0.84,
      $ai_input: [
        { role: 'system', content: 'You are helpful.' },
        { role: 'user', content: 'Grüße aus Köln 👋 — 天気は？' },
      ],
    })
    // A failed call keeps its error as the JSON string the SDK sends.
    expect(propertiesOf(events[5])).toMatchObject({ $ai_is_error: true, $ai_http_status: 429 })
    expect(typeof propertiesOf(events[5]).$ai_error).toBe('string')
  })

  it('reads batch-export rows: properties as a JSON string, ClickHouse timestamps, $set extras ignored', async () => {
    const { events } = await collectImport(readImport(fixtureText('posthog-export.jsonl'), { format: 'posthog-jsonl' }))
    const trace = events[2] as CaptureInput
    expect(trace).toEqual({
      event: '$ai_trace',
      uuid: '01a21c32-22aa-78cf-b88f-8a6a7ecd1523',
      distinct_id: 'user_123',
      timestamp: '2026-11-27T08:49:37.400000Z',
      properties: {
        $ai_trace_id: 'trace_abc',
        $ai_span_name: 'weather agent',
        $ai_latency: 1.5,
        $ai_input_state: { question: 'Weather in Köln?' },
      },
    })
    const embedding = events[3] as CaptureInput
    expect(Object.keys(embedding).sort()).toEqual(['distinct_id', 'event', 'properties', 'timestamp', 'uuid'])
  })

  it('gives the same events when the bytes arrive 1 to 3 at a time (split characters, split CRLF)', async () => {
    const whole = await collectImport(readImport(fixtureText('posthog-export.jsonl'), { format: 'posthog-jsonl' }))
    const trickled = await collectImport(
      readImport(tinyChunkStream(fixtureBytes('posthog-export.jsonl')), { format: 'posthog-jsonl' }),
    )
    expect(trickled.events).toEqual(whole.events)
    expect(trickled.problems.map((problem) => problem.location)).toEqual(['line 5', 'line 7'])
  })

  it('explains each kind of bad line', async () => {
    const source = [
      '{"event": "$ai_span", "properties": "{not json"}',
      '[1, 2]',
      '{"event": 42}',
      '{"event": "$ai_span", "properties": [1]}',
      '{"event": "$ai_span", "properties": "[1]"}',
      '   ',
      '{"event": "$pageview", "distinct_id": 7, "id": "legacy-id", "properties": null}',
      '{"event": "$ai_span", "properties": {"distinct_id": "from-posthog-js"}}',
    ].join('\n')
    const { events, problems } = await collectImport(readImport(source, { format: 'posthog-jsonl' }))
    expect(problems.map((problem) => `${problem.location}: ${problem.message}`)).toEqual([
      expect.stringMatching(/^line 1: "properties" is a string but not valid JSON \(.+\)$/),
      'line 2: expected an object with an "event" string, got an array',
      'line 3: expected an object with an "event" string, got "event" as a number',
      'line 4: "properties" must be an object, got an array',
      'line 5: "properties" must be an object, got a JSON string of an array',
    ])
    expect(events).toEqual([
      { event: '$pageview', uuid: 'legacy-id', distinct_id: '7', properties: {} },
      { event: '$ai_span', distinct_id: 'from-posthog-js', properties: { distinct_id: 'from-posthog-js' } },
    ])
  })

  it('drops a UTF-8 BOM and reads a last line that has no newline', async () => {
    const bytes = new TextEncoder().encode('\uFEFF{"event":"a"}\r\n{"event":"b"}')
    const { events, summary } = await collectImport(readImport(new Blob([bytes]), { format: 'posthog-jsonl' }))
    expect(events.map((event) => event.event)).toEqual(['a', 'b'])
    expect(summary.bytesRead).toBe(bytes.length)
  })

  it('reads a 5 MB line whole, and skips a line over the limit with a problem', async () => {
    const content = 'é'.repeat(2_500_000)
    const long = JSON.stringify({ event: '$ai_generation', properties: { $ai_input: content } })
    const { events } = await collectImport(readImport(`${long}\n{"event":"after"}\n`, { format: 'posthog-jsonl' }))
    expect(events).toHaveLength(2)
    expect(propertiesOf(events[0]).$ai_input).toBe(content)

    const found: string[] = []
    const problems: string[] = []
    const parser = createPosthogJsonlParser(
      { event: (event) => found.push(event.event), problem: (location, message) => problems.push(`${location}: ${message}`) },
      20,
    )
    parser.push('{"event":"short"}\n{"event":"much too long for the limit"}\n{"eve')
    parser.push('nt":"x"}')
    parser.end()
    expect(found).toEqual(['short', 'x'])
    expect(problems).toEqual(['line 2: line of 39 characters skipped: longer than the 20 an import keeps'])
  })
})
