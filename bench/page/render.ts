/**
 * Render timings of the panels (issues #6 and #7), loaded on demand by `main.ts` so the
 * other cases' page holds no React. Written with `createElement`, so the page needs no JSX
 * plugin; the panels' own sources are compiled by Vite as the library's are.
 */
// The bench renders the panels as a host page would: the core stays headless, this page is not core.
// oxlint-disable-next-line no-restricted-imports
import { createElement } from 'react'
// oxlint-disable-next-line no-restricted-imports
import { createRoot, type Root } from 'react-dom/client'
import type { AiscopeClient } from 'aiscope'
import { AiscopeProvider, CostBreakdown, EMPTY_FILTER_VALUE, TraceViewer, type FilterValue } from 'aiscope/react'

/** A frame is dropped when its interval is over 1.5 frames at 60 Hz. */
const DROPPED_FRAME_MS = 1.5 * (1000 / 60)
const TIMEOUT_MS = 30_000

/** A visible container of a host's size, and a React root in it. */
function mount(): { container: HTMLDivElement; root: Root } {
  const container = document.createElement('div')
  container.style.width = '1200px'
  document.body.append(container)
  return { container, root: createRoot(container) }
}

function unmount({ container, root }: { container: HTMLDivElement; root: Root }): void {
  root.unmount()
  container.remove()
}

/** Resolves with `performance.now()` when `test()` first holds, checked after each DOM mutation under `target`. */
function whenDom(target: Node, test: () => boolean, what: string): Promise<number> {
  return new Promise((resolve, reject) => {
    if (test()) {
      resolve(performance.now())
      return
    }
    const timer = setTimeout(() => {
      observer.disconnect()
      reject(new Error(`timed out waiting for ${what}`))
    }, TIMEOUT_MS)
    const observer = new MutationObserver(() => {
      if (test()) {
        const atMs = performance.now()
        observer.disconnect()
        clearTimeout(timer)
        resolve(atMs)
      }
    })
    observer.observe(target, { subtree: true, childList: true, characterData: true, attributes: true })
  })
}

/**
 * `performance.now()` once the frame showing the current DOM has been rendered: the next
 * animation frame, then a task posted from it (which runs after that frame's style, layout
 * and paint).
 */
function afterNextPaint(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel()
      channel.port1.onmessage = () => {
        channel.port1.close()
        resolve(performance.now())
      }
      channel.port2.postMessage(null)
    })
  })
}

/** The client, with the time each `query()` answer reaches the main thread recorded. */
function timedClient(client: AiscopeClient): { client: AiscopeClient; arrivals: number[] } {
  const arrivals: number[] = []
  const proxy = new Proxy(client, {
    get(target, property) {
      if (property === 'query') {
        return (...args: Parameters<AiscopeClient['query']>) =>
          target.query(...args).then((answer) => {
            arrivals.push(performance.now())
            return answer
          })
      }
      const value: unknown = Reflect.get(target, property)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
  return { client: proxy, arrivals }
}

export interface TraceRenderTimings {
  /** From `root.render()` to the first `[role="treeitem"]` in the DOM. */
  rowsInDomMs: number
  /** From `root.render()` to the frame showing them rendered (see `afterNextPaint`). */
  rowsPaintedMs: number
  /** From the panel's trace answer reaching the main thread to that frame. */
  dataToPaintMs: number
  /** Height of the tree's scrolling area's content (rows × 28 px and the axis), and the rows in the DOM (virtualised). */
  scrollHeightPx: number
  domRowCount: number
  /** Scroll to the bottom over ~1 s, one step an animation frame. */
  scrollFrames: number
  droppedFrames: number
  /** Which of the scroll's frame intervals were dropped (0 is the first). */
  droppedAt: number[]
  longestFrameMs: number
}

/** `<TraceViewer>` of a stored trace on a warm client: first rows, first frame, then (once it has settled) a scroll to the bottom. */
export async function renderTraceViewer(client: AiscopeClient, traceId: string): Promise<TraceRenderTimings> {
  const timed = timedClient(client)
  const mounted = mount()
  try {
    const { container, root } = mounted
    const startMs = performance.now()
    root.render(createElement(AiscopeProvider, { client: timed.client }, createElement(TraceViewer, { traceId })))
    const rowsAtMs = await whenDom(container, () => container.querySelector('[role="treeitem"]') !== null, 'trace rows')
    const paintedAtMs = await afterNextPaint()
    const arrivedAtMs = timed.arrivals[0] ?? Number.NaN
    const tree = container.querySelector('[role="tree"]')
    const scroller = container.querySelector<HTMLElement>('.aiscope-TraceTree')
    if (!scroller) {
      throw new Error('no .aiscope-TraceTree scroll container')
    }
    // A user scrolls a viewer that has finished opening: the selected span's detail is shown
    // with its content loaded (it renders a frame after the tree). Scrolling from the very
    // first frame would count that last step of opening as scroll jank.
    await whenDom(
      container,
      () => {
        const detail = container.querySelector('.aiscope-SpanDetail')
        return detail !== null && !(detail.textContent ?? '').includes('Loading inputs and outputs')
      },
      'the selected span’s detail',
    )
    await afterNextPaint()
    const scroll = await scrollToBottom(scroller, 1_000)
    return {
      rowsInDomMs: rowsAtMs - startMs,
      rowsPaintedMs: paintedAtMs - startMs,
      dataToPaintMs: paintedAtMs - arrivedAtMs,
      scrollHeightPx: scroller.scrollHeight,
      domRowCount: tree?.querySelectorAll('[role="treeitem"]').length ?? 0,
      ...scroll,
    }
  } finally {
    unmount(mounted)
  }
}

/** Scrolls `element` to its bottom in even steps, one an animation frame, over `durationMs`; counts the frames over 1.5 × 16.7 ms. */
async function scrollToBottom(
  element: HTMLElement,
  durationMs: number,
): Promise<{ scrollFrames: number; droppedFrames: number; droppedAt: number[]; longestFrameMs: number }> {
  const steps = Math.round(durationMs / (1000 / 60))
  const bottom = element.scrollHeight - element.clientHeight
  const frameTimes: number[] = []
  await new Promise<void>((resolve) => {
    let step = 0
    const tick = (timeMs: number) => {
      frameTimes.push(timeMs)
      if (step >= steps) {
        resolve()
        return
      }
      step += 1
      element.scrollTop = Math.round((bottom * step) / steps)
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
  const intervals = frameTimes.slice(1).map((timeMs, index) => timeMs - (frameTimes[index] as number))
  if (Math.abs(element.scrollTop - bottom) > 2) {
    throw new Error(`scrolled to ${element.scrollTop}, not the bottom (${bottom})`)
  }
  return {
    scrollFrames: intervals.length,
    droppedFrames: intervals.filter((intervalMs) => intervalMs > DROPPED_FRAME_MS).length,
    droppedAt: intervals.flatMap((intervalMs, index) => (intervalMs > DROPPED_FRAME_MS ? [index] : [])),
    longestFrameMs: Math.max(0, ...intervals),
  }
}

/**
 * `<CostBreakdown by="model">` with controlled filters: waits for its first totals, then
 * changes the filter value once per entry of `providerSets`, each time timing from the
 * `root.render()` of the new value to the DOM showing different totals.
 */
export async function costBreakdownFilterChanges(client: AiscopeClient, providerSets: string[][]): Promise<number[]> {
  const mounted = mount()
  try {
    const { container, root } = mounted
    const panel = (filters: FilterValue) =>
      createElement(AiscopeProvider, { client }, createElement(CostBreakdown, { by: 'model', filters }))
    const totalsText = () => {
      const totals = container.querySelector('.aiscope-CostBreakdown[data-state="ready"] .aiscope-Totals')
      return totals?.textContent ?? null
    }
    root.render(panel(EMPTY_FILTER_VALUE))
    await whenDom(container, () => totalsText() !== null, 'the first cost totals')
    const timings: number[] = []
    for (const providers of providerSets) {
      const before = totalsText()
      const startMs = performance.now()
      root.render(panel({ ...EMPTY_FILTER_VALUE, providers }))
      const shownAtMs = await whenDom(container, () => totalsText() !== null && totalsText() !== before, `totals for providers ${providers.join(', ')}`)
      timings.push(shownAtMs - startMs)
      // Let the panel's other queries (trend, previous period) settle before the next change.
      await new Promise((resolve) => setTimeout(resolve, 300))
    }
    return timings
  } finally {
    unmount(mounted)
  }
}
