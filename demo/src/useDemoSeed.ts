import { useCallback, useEffect, useRef, useState } from 'react'
import { useAiscopeClient } from 'aiscope/react'
import { seedStore } from 'aiscope/testing'

/** How many generated events the demo seeds: `?events=N` in the URL, else 50,000. */
export function demoEventCount(): number {
  const requested = Number(new URLSearchParams(window.location.search).get('events'))
  return Number.isInteger(requested) && requested >= 10 && requested <= 1_000_000 ? requested : 50_000
}

/** Seed of the demo's generator, so every visitor sees the same story. */
const DEMO_SEED = 42

export type DemoSeedState =
  | { phase: 'checking' }
  | { phase: 'seeding'; writtenCount: number; totalCount: number }
  | { phase: 'ready' }
  | { phase: 'failed'; message: string }

/**
 * Seeds the demo store from the generator on the first visit (an empty store), showing
 * progress; later visits open what is already stored. `reseed()` starts over.
 */
export function useDemoSeed() {
  const client = useAiscopeClient()
  const [state, setState] = useState<DemoSeedState>({ phase: 'checking' })
  const running = useRef<AbortController | null>(null)

  const seed = useCallback(
    async (startOver: boolean) => {
      running.current?.abort()
      const controller = new AbortController()
      running.current = controller
      try {
        if (startOver) {
          await client.clear()
        } else if ((await client.status()).eventCount > 0) {
          setState({ phase: 'ready' })
          return
        }
        controller.signal.throwIfAborted()
        const totalCount = demoEventCount()
        setState({ phase: 'seeding', writtenCount: 0, totalCount })
        await seedStore(client, {
          size: totalCount,
          seed: DEMO_SEED,
          // The newest events end at the current hour, so "last 7 days" has data in it.
          endMs: Math.floor(Date.now() / 3_600_000) * 3_600_000,
          days: 30,
          batchSize: 2_000,
          signal: controller.signal,
          onProgress: (progress) => {
            if (!controller.signal.aborted) {
              setState({ phase: 'seeding', ...progress })
            }
          },
        })
        setState({ phase: 'ready' })
      } catch (error) {
        if (!controller.signal.aborted) {
          setState({ phase: 'failed', message: error instanceof Error ? error.message : String(error) })
        }
      }
    },
    [client],
  )

  useEffect(() => {
    // seed() sets state only after awaiting the store, never synchronously in this effect.
    // oxlint-disable-next-line react/set-state-in-effect
    void seed(false)
    return () => running.current?.abort()
  }, [seed])

  return { state, reseed: () => void seed(true) }
}
