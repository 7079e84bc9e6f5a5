import { describe, expect, it, vi } from 'vitest'
import { trackInteraction } from '../../src/instrument'
import { INTERACTION_KINDS, type InteractionKind } from '../../src/schema/events'
import { collector, onlyEvent } from './collect'

describe('trackInteraction', () => {
  it.each(INTERACTION_KINDS)('captures a %s interaction linked to its generation', (kind) => {
    const { target, events, problems, onError } = collector()
    const result = trackInteraction(target, kind, { generationId: 'gen_1', traceId: 'trace_1', distinctId: 'user_1', onError })
    expect(result).toEqual({ captured: true })
    const event = onlyEvent(events)
    expect(event).toEqual({
      event: '$ai_interaction',
      distinct_id: 'user_1',
      properties: {
        $ai_lib: 'aiscope',
        $ai_lib_version: '0.1.0',
        $ai_interaction: kind,
        $ai_generation_id: 'gen_1',
        $ai_trace_id: 'trace_1',
      },
    })
    expect(problems).toEqual([])
  })

  it('records the edit distance of an edit, its session and extra properties', () => {
    const { target, events } = collector()
    trackInteraction(target, 'edited', { traceId: 'trace_1', editDistance: 12, sessionId: 'sess_1', properties: { surface: 'reply-box' } })
    const event = onlyEvent(events)
    expect(event.properties).toMatchObject({ $ai_interaction: 'edited', $ai_edit_distance: 12, $ai_session_id: 'sess_1', surface: 'reply-box' })
    // No user named: anonymous, keyed by the trace, as PostHog does.
    expect(event.distinct_id).toBe('trace_1')
    expect(event.properties.$process_person_profile).toBe(false)
  })

  it('skips and reports an unknown kind instead of throwing', () => {
    const { target, events, problems, onError } = collector()
    const result = trackInteraction(target, 'liked' as InteractionKind, { generationId: 'gen_1', onError })
    expect(result).toEqual({ captured: false, reason: expect.stringContaining('unknown interaction kind "liked"') })
    expect(events).toEqual([])
    expect(problems).toHaveLength(1)
  })

  it('skips and reports an interaction with neither a generation id nor a trace id', () => {
    const { target, events, problems, onError } = collector()
    expect(trackInteraction(target, 'copied', { generationId: '', onError })).toMatchObject({ captured: false })
    // With no onError, the problem goes to console.warn.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    expect(trackInteraction(target, 'copied', undefined as never)).toMatchObject({ captured: false })
    expect(warn).toHaveBeenCalledOnce()
    warn.mockRestore()
    expect(events).toEqual([])
    expect(problems[0]?.message).toContain('needs a generationId or a traceId')
  })

  it('leaves out an edit distance that is not a non-negative integer, and says so', () => {
    const { target, events, problems, onError } = collector()
    trackInteraction(target, 'edited', { generationId: 'gen_1', editDistance: -3, onError })
    trackInteraction(target, 'edited', { generationId: 'gen_1', editDistance: 1.5, onError })
    expect(events.map((event) => event.properties)).not.toContainEqual(expect.objectContaining({ $ai_edit_distance: expect.anything() }))
    expect(events).toHaveLength(2)
    expect(problems).toHaveLength(2)
  })

  it('reports a target that throws and returns not captured', () => {
    const problems: Error[] = []
    const target = {
      capture() {
        throw new Error('quota exceeded')
      },
    }
    expect(trackInteraction(target, 'accepted', { traceId: 't', onError: (problem) => problems.push(problem) })).toEqual({
      captured: false,
      reason: 'the capture target threw',
    })
    expect(problems).toHaveLength(1)
  })
})
