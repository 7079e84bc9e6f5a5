import type { AiscopeEvent } from './events'

/**
 * One thing wrong with an input event: the field it concerns and why, for example
 * `{ field: '$ai_latency', reason: 'expected seconds as a finite number >= 0, got "12ms"' }`.
 */
export interface EventProblem {
  /** Dotted path of the field: `timestamp`, `properties.$ai_latency` is written `$ai_latency`. */
  field: string
  /** Why the value was refused or changed, naming what was expected and what came. */
  reason: string
}

/** Options for `validateEvent`. */
export interface ValidateOptions {
  /** Content larger than this many bytes (UTF-8) per event is truncated with a marker. @default 1_000_000 */
  maxContentBytes?: number
  /** Used when the event has no timestamp: ms since epoch. @default Date.now() */
  nowMs?: number
  /** Makes a uuid for an event that has none. @default crypto.randomUUID */
  makeUuid?: () => string
}

/**
 * What `validateEvent` returns: the normalised event (with `warnings` for values it
 * changed but kept, such as truncated content), or the problems that stop it from being stored.
 */
export type ValidationResult =
  | { ok: true; event: AiscopeEvent; warnings: EventProblem[] }
  | { ok: false; problems: EventProblem[] }
