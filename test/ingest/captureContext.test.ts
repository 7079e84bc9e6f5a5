import { describe, expect, it } from 'vitest'
import { applyCaptureContext, createCaptureContext, makeRandomUuid } from '../../src/ingest/captureContext'

const stamps = { nowMs: Date.parse('2026-11-27T10:00:00.000Z'), makeUuid: () => 'made-uuid', anonymousId: 'anon_1' }

describe('capture context', () => {
  it('fills uuid, timestamp and the identified user, keeping what the event set itself', () => {
    const context = { ...createCaptureContext(), distinctId: 'user_42' }
    expect(applyCaptureContext({ event: '$pageview', properties: { $current_url: '/a' } }, context, stamps)).toEqual({
      event: '$pageview',
      uuid: 'made-uuid',
      timestamp: '2026-11-27T10:00:00.000Z',
      distinct_id: 'user_42',
      properties: { $current_url: '/a' },
    })
    expect(
      applyCaptureContext(
        { event: '$pageview', uuid: 'own', timestamp: 5, distinct_id: 'user_7', properties: {} },
        context,
        stamps,
      ),
    ).toMatchObject({ uuid: 'own', timestamp: 5, distinct_id: 'user_7' })
  })

  it('merges groups and super properties under the event’s own', () => {
    const context = {
      distinctId: undefined,
      groups: { company: 'acme', team: 'support' },
      superProperties: { app_version: '2.1.0', feature: 'default' },
    }
    const event = applyCaptureContext(
      { event: '$ai_generation', properties: { feature: 'draft-reply', $groups: { team: 'billing' }, $ai_trace_id: 't' } },
      context,
      stamps,
    ) as { properties: Record<string, unknown> }
    expect(event.properties).toEqual({
      app_version: '2.1.0',
      feature: 'draft-reply',
      $ai_trace_id: 't',
      $groups: { company: 'acme', team: 'billing' },
    })
  })

  it('leaves an anonymous AI event’s user to the trace-id rule, and gives product events the anonymous id', () => {
    const context = createCaptureContext()
    const aiEvent = applyCaptureContext({ event: '$ai_generation', properties: { $ai_trace_id: 't1' } }, context, stamps)
    const pageview = applyCaptureContext({ event: '$pageview' }, context, stamps)
    expect(aiEvent).toMatchObject({ distinct_id: undefined })
    expect(pageview).toMatchObject({ distinct_id: 'anon_1' })
  })

  it('hands input that is not an event through untouched, for validation to report', () => {
    const context = createCaptureContext()
    for (const input of [null, 42, 'text', [1, 2], { event: 'x', properties: 'not an object' }]) {
      expect(applyCaptureContext(input, context, stamps)).toBe(input)
    }
  })

  it('makes version 4 uuids', () => {
    const uuids = new Set(Array.from({ length: 100 }, makeRandomUuid))
    expect(uuids.size).toBe(100)
    for (const uuid of uuids) {
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    }
  })
})
