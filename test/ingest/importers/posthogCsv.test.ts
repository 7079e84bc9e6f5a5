import { describe, expect, it } from 'vitest'
import { readImport } from '../../../src/ingest/importers'
import { collectImport, fixtureBytes, fixtureText, tinyChunkStream } from './importTestUtils'

/**
 * `fixtures/events-export.csv` was written by Python's csv module from rows flattened the
 * way djangorestframework-csv flattens them (PostHog's `csv_exporter.py` +
 * `OrderedCsvRenderer`), for an EventsQuery `select *, event, person, properties.$lib,
 * timestamp`. Two malformed rows were added: line 5 (too few fields) and line 7 (text after
 * a closing quote).
 */
describe('posthog-csv: the events table export', () => {
  it('rebuilds each event from the flattened *.properties columns', async () => {
    const { events, locations, problems, summary } = await collectImport(
      readImport(fixtureText('events-export.csv'), { format: 'posthog-csv' }),
    )
    expect(locations).toEqual(['line 2', 'line 6', 'line 8'])
    expect(summary.eventCount).toBe(3)
    expect(events[0]).toEqual({
      event: '$ai_generation',
      uuid: '0193a1b2-0000-7000-8000-000000000001',
      distinct_id: 'user_42',
      timestamp: '2026-11-27T09:00:00.123000Z',
      properties: {
        $ai_provider: 'anthropic',
        $ai_model: 'claude-sonnet-4-5',
        $ai_model_parameters: { temperature: 0.7, max_tokens: 1024 },
        $ai_input: [{ role: 'user', content: 'Summarise:\nline one, with a comma\nline "two"' }],
        $ai_output_choices: [{ role: 'assistant', content: [{ type: 'text', text: 'Two lines, one quoted: "two".' }] }],
        $ai_input_tokens: 812,
        $ai_output_tokens: 64,
        $ai_cache_read_input_tokens: 512,
        $ai_latency: 2.31,
        $ai_trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
        $ai_is_error: false,
        $groups: { company: '1234' },
        conversation_id: '0042',
        $lib: 'posthog-node',
      },
    })
    expect(events[1]?.properties).toEqual({
      $ai_span_name: 'search_docs',
      $ai_span_type: 'retriever',
      $ai_latency: 0.4,
      $ai_trace_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      $ai_parent_id: '4bf92f3577b34da6a3ce929d0e0e4736',
      $ai_input_state: { query: 'refund, policy' },
      $ai_is_error: true,
      $ai_error: '{"message":"timeout"}',
      $lib: 'posthog-node',
    })
    expect(problems).toEqual([
      { location: 'line 5', message: '3 fields where the header has 36' },
      { location: 'line 7', message: 'malformed CSV: text after the closing quote of a field' },
    ])
  })

  it('keeps message content as text even when it looks like a number or a boolean', async () => {
    const { events } = await collectImport(readImport(fixtureText('events-export.csv'), { format: 'posthog-csv' }))
    expect(events[2]?.properties).toMatchObject({
      $ai_input: [{ role: 'user', content: '42' }],
      $ai_output_choices: [{ role: 'assistant', content: [{ type: 'text', text: 'True' }] }],
      $ai_input_tokens: 5,
      $ai_trace_id: 'trace_ü',
    })
  })

  it('gives the same events when the bytes arrive 1 to 3 at a time (inside quotes and characters)', async () => {
    const whole = await collectImport(readImport(fixtureText('events-export.csv'), { format: 'posthog-csv' }))
    const trickled = await collectImport(
      readImport(tinyChunkStream(fixtureBytes('events-export.csv')), { format: 'posthog-csv' }),
    )
    expect(trickled.events).toEqual(whole.events)
    expect(trickled.problems).toEqual(whole.problems)
  })

  it('reads a HogQL export whose properties column is JSON, with ClickHouse timestamps', async () => {
    const { events, problems } = await collectImport(readImport(fixtureText('hogql-export.csv'), { format: 'posthog-csv' }))
    expect(events).toEqual([
      {
        event: '$ai_generation',
        uuid: '0193a1b2-0000-7000-8000-0000000000a1',
        distinct_id: 'user_7',
        timestamp: '2026-11-27T10:00:00.250000Z',
        properties: {
          $ai_provider: 'openai',
          $ai_model: 'gpt-4.1',
          $ai_input: [{ role: 'user', content: 'Hi, "bot"\nsecond line' }],
          $ai_input_tokens: 9,
          $ai_output_tokens: 3,
          $ai_latency: 0.5,
          $ai_trace_id: 't1',
        },
      },
      {
        event: '$ai_trace',
        uuid: '0193a1b2-0000-7000-8000-0000000000a2',
        distinct_id: 'user_7',
        timestamp: '2026-11-27T10:00:00.000000Z',
        properties: { $ai_trace_id: 't1', $ai_span_name: 'chat turn' },
      },
    ])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.location).toBe('line 4')
    expect(problems[0]?.message).toMatch(/^the properties column is not valid JSON \(.+\)$/)
  })

  it('reads the older events-API export (id, distinct_id, properties.$x, event, timestamp, person)', async () => {
    const csv =
      'id,distinct_id,properties.$ai_model,properties.$ai_latency,properties.gen_ai.system,event,timestamp,person,elements_chain\r\n' +
      'e9ca132e-400f-4854-a83c-16c151b2f145,2,gpt-4o,1.5,openai,$ai_generation,2022-07-06T19:37:43.095295+00:00,,\r\n'
    const { events } = await collectImport(readImport(csv, { format: 'posthog-csv' }))
    expect(events).toEqual([
      {
        event: '$ai_generation',
        uuid: 'e9ca132e-400f-4854-a83c-16c151b2f145',
        distinct_id: '2',
        timestamp: '2022-07-06T19:37:43.095295+00:00',
        // A key that is not PostHog's own keeps its dots: it is one property, not a nested one.
        properties: { $ai_model: 'gpt-4o', $ai_latency: 1.5, 'gen_ai.system': 'openai' },
      },
    ])
  })

  it('rebuilds arrays with gaps as null and parses a structured property given as one JSON cell', async () => {
    const csv =
      'event,properties.$ai_input.0,properties.$ai_input.2,properties.$ai_tools,properties.plain\n' +
      '$ai_embedding,first,third,"[{""type"":""function""}]","[not, parsed]"\n'
    const { events } = await collectImport(readImport(csv, { format: 'posthog-csv' }))
    expect(events[0]?.properties).toEqual({
      $ai_input: ['first', null, 'third'],
      $ai_tools: [{ type: 'function' }],
      plain: '[not, parsed]',
    })
  })

  it('stops with one clear problem when the header has no event column', async () => {
    const { events, problems } = await collectImport(readImport('name,value\na,1\nb,2\n', { format: 'posthog-csv' }))
    expect(events).toEqual([])
    expect(problems).toEqual([
      {
        location: 'line 1',
        message:
          'the header has no "event" or "*.event" column (it starts "name,value"): is this a PostHog events export? Nothing was imported',
      },
    ])
  })

  it('reports a row with an empty event name', async () => {
    const { problems } = await collectImport(readImport('*.event,*.uuid\n,abc\n', { format: 'posthog-csv' }))
    expect(problems).toEqual([{ location: 'line 2', message: 'no event name: the "*.event" column is empty' }])
  })
})
