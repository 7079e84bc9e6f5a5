import type { LoadProgress } from '../../query/columnCache'

/** What a panel is showing: its content, or a message in its place. */
export type PanelState = 'loading' | 'empty' | 'error' | 'ready'

/**
 * A one-line, human-readable description of whatever was thrown, for showing as text.
 * @default 'Something went wrong.' when nothing useful can be said.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error && error.message) {
    return error.message
  }
  if (typeof error === 'string' && error.trim()) {
    return error
  }
  return 'Something went wrong.'
}

/** The loading message: how many stored events are loaded (or rebuilt) so far, when that is known. */
export function describeLoad(progress: LoadProgress | undefined): string {
  if (!progress || progress.totalEventCount === 0) {
    return 'Loading…'
  }
  const count = new Intl.NumberFormat('en-US')
  const done = `${count.format(progress.loadedEventCount)} of ${count.format(progress.totalEventCount)}`
  return progress.stage === 'rebuilding'
    ? `Updating events stored by an older version: ${done}…`
    : `Loading stored events: ${done}…`
}
