import { observeElementRect, type Virtualizer } from '@tanstack/react-virtual'

/**
 * The virtualiser's size observer, reporting `fallbackHeight` while the element has no
 * layout height yet (before the first layout, inside a hidden tab, or in a DOM without
 * layout such as jsdom), so the first frame already renders the rows that will fit.
 */
export function observeRectOrFallback(fallbackHeight: number) {
  return <Scroll extends Element>(instance: Virtualizer<Scroll, Element>, callback: (rect: { width: number; height: number }) => void) =>
    observeElementRect(instance as unknown as Virtualizer<Element, Element>, (rect) =>
      callback(rect.height > 0 ? rect : { width: rect.width, height: fallbackHeight }),
    )
}
