/**
 * Anything events can be captured into: the aiscope client, or a test double. The SDK
 * wrappers and importers only need this, so they never depend on the whole client.
 */
export interface CaptureTarget {
  /**
   * Takes one event in PostHog's envelope (`event`, `properties`, optional `uuid`,
   * `distinct_id`, `timestamp`). Synchronous and constant time; never throws on bad input,
   * which is reported through the client's `onError` instead.
   */
  capture(event: CaptureInput): void
}

/** An event as a host or wrapper hands it to `capture`: only `event` is required. */
export interface CaptureInput {
  event: string
  properties?: Record<string, unknown>
  uuid?: string
  distinct_id?: string
  /** ISO 8601 string or ms since epoch; now when absent. */
  timestamp?: string | number
}
