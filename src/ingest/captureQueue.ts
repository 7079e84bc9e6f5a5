/** Options for {@link createCaptureQueue}. */
export interface CaptureQueueOptions<Item> {
  /** A batch is sent once it holds this many items. @default 1000 */
  maxBatchSize?: number
  /** …or once the oldest item has waited this long, in ms. @default 250 */
  maxDelayMs?: number
  /** Sends one batch; resolves once it is durable. A rejection fails the `flush()` calls waiting on it. */
  send(batch: Item[]): Promise<void>
}

/** A buffer that turns many synchronous `push` calls into a few batched sends. */
export interface CaptureQueue<Item> {
  /** Adds an item; constant time, never waits. */
  push(item: Item): void
  /** Sends what is buffered now; resolves when every item pushed before the call is sent. */
  flush(): Promise<void>
  /** Items pushed and not yet handed to `send`. */
  readonly bufferedCount: number
}

/**
 * Creates a capture queue. Batches leave at most `maxDelayMs` after their first item or as
 * soon as they hold `maxBatchSize` items, whichever comes first; sends may overlap, and
 * `flush()` waits for all of them.
 */
export function createCaptureQueue<Item>({
  maxBatchSize = 1000,
  maxDelayMs = 250,
  send,
}: CaptureQueueOptions<Item>): CaptureQueue<Item> {
  let buffer: Item[] = []
  let timer: ReturnType<typeof setTimeout> | undefined
  const inFlight = new Set<Promise<void>>()

  const sendBuffer = (): Promise<void> => {
    if (timer !== undefined) {
      clearTimeout(timer)
      timer = undefined
    }
    if (buffer.length === 0) {
      return Promise.resolve()
    }
    const batch = buffer
    buffer = []
    const sending = Promise.resolve()
      .then(() => send(batch))
      .finally(() => inFlight.delete(sending))
    inFlight.add(sending)
    // A send that fails with nobody flushing must not surface as an unhandled rejection:
    // `send` reports its own failures; flush() callers still see the error.
    sending.catch(() => undefined)
    return sending
  }

  return {
    push(item) {
      buffer.push(item)
      if (buffer.length >= maxBatchSize) {
        void sendBuffer()
      } else if (timer === undefined) {
        timer = setTimeout(sendBuffer, maxDelayMs)
      }
    },
    async flush() {
      const pending = [...inFlight, sendBuffer()]
      await Promise.all(pending)
    },
    get bufferedCount() {
      return buffer.length
    },
  }
}
