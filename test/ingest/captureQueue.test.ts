import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCaptureQueue } from '../../src/ingest/captureQueue'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('capture queue', () => {
  it('sends a batch 250 ms after its first event by default', async () => {
    const sent: number[][] = []
    const queue = createCaptureQueue<number>({ send: async (batch) => void sent.push(batch) })
    queue.push(1)
    await vi.advanceTimersByTimeAsync(100)
    queue.push(2)
    await vi.advanceTimersByTimeAsync(149)
    expect(sent).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(sent).toEqual([[1, 2]])
    expect(queue.bufferedCount).toBe(0)
  })

  it('sends as soon as 1,000 events are waiting, without waiting for the timer', async () => {
    const sent: number[][] = []
    const queue = createCaptureQueue<number>({ send: async (batch) => void sent.push(batch) })
    for (let index = 0; index < 2_500; index += 1) {
      queue.push(index)
    }
    await vi.advanceTimersByTimeAsync(0)
    expect(sent.map((batch) => batch.length)).toEqual([1_000, 1_000])
    await vi.advanceTimersByTimeAsync(250)
    expect(sent.map((batch) => batch.length)).toEqual([1_000, 1_000, 500])
    expect(sent.flat()).toEqual(Array.from({ length: 2_500 }, (_, index) => index))
  })

  it('flush() waits for the buffer and for every send already under way', async () => {
    const resolvers: Array<() => void> = []
    const durable: number[] = []
    const queue = createCaptureQueue<number>({
      maxBatchSize: 2,
      send: (batch) =>
        new Promise<void>((resolve) =>
          resolvers.push(() => {
            durable.push(...batch)
            resolve()
          }),
        ),
    })
    queue.push(1)
    queue.push(2) // starts a send that is still in flight
    queue.push(3) // still buffered
    let flushed = false
    const flushing = queue.flush().then(() => {
      flushed = true
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(resolvers).toHaveLength(2)
    resolvers[1]?.()
    await vi.advanceTimersByTimeAsync(0)
    expect(flushed).toBe(false)
    resolvers[0]?.()
    await flushing
    expect(durable.sort()).toEqual([1, 2, 3])
  })

  it('fails flush() when a send fails, and still sends later batches', async () => {
    let calls = 0
    const queue = createCaptureQueue<string>({
      send: async () => {
        calls += 1
        if (calls === 1) {
          throw new Error('QuotaExceededError')
        }
      },
    })
    queue.push('a')
    await expect(queue.flush()).rejects.toThrow('QuotaExceededError')
    queue.push('b')
    await expect(queue.flush()).resolves.toBeUndefined()
    expect(calls).toBe(2)
  })

  it('resolves flush() at once when nothing was captured', async () => {
    const send = vi.fn(async () => undefined)
    await createCaptureQueue({ send }).flush()
    expect(send).not.toHaveBeenCalled()
  })
})
