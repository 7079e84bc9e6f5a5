import { expect } from 'vitest'
import type { AiscopeEvent } from '../../src/schema/events'
import type { EventProblem, ValidationResult } from '../../src/schema/validation.types'

/** `nowMs` used by schema tests: shortly after the §1.4 capture. */
export const NOW_MS = Date.UTC(2026, 10, 27, 9, 0, 0)

/** The normalised event of a result that must be ok, failing with its problems otherwise. */
export function expectValid(result: ValidationResult): { event: AiscopeEvent; warnings: EventProblem[] } {
  if (!result.ok) {
    expect.fail(`expected a valid event, got problems: ${JSON.stringify(result.problems)}`)
  }
  return result
}

/** The problems of a result that must be rejected. */
export function expectRejected(result: ValidationResult): EventProblem[] {
  if (result.ok) {
    expect.fail(`expected problems, got a valid event with warnings ${JSON.stringify(result.warnings)}`)
  }
  return result.problems
}

/** Counter-based uuids, so tests can assert them. */
export function sequentialUuids(): () => string {
  let next = 0
  return () => `00000000-0000-4000-8000-${String(++next).padStart(12, '0')}`
}

/** A small valid `$ai_generation` to mutate in tests. */
export function minimalGeneration(properties: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    event: '$ai_generation',
    uuid: '5b0e3c6a-6d1f-4a55-9a1e-8f0b7b2f4c11',
    distinct_id: 'user_1',
    timestamp: '2026-11-27T08:00:00.000Z',
    properties: {
      $ai_trace_id: 'trace_1',
      $ai_model: 'gpt-4o-mini',
      $ai_provider: 'openai',
      $ai_input_tokens: 10,
      $ai_output_tokens: 5,
      $ai_latency: 0.5,
      ...properties,
    },
  }
}
