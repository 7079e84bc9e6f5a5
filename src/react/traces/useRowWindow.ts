'use client'
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react'
import { flushSync } from 'react-dom'

/** Options of {@link useRowWindow}. */
export interface RowWindowOptions {
  /** The scrolling element. */
  scrollRef: RefObject<HTMLElement | null>
  /** Rows in the list. */
  rowCount: number
  /** Height of every row, px. */
  rowHeight: number
  /** Height of the scrolling element until it is measured (and in a DOM without layout, such as jsdom), px. */
  viewHeight: number
  /** Room above the first row inside the scrolling element, px: a sticky header covering the top of the view. */
  headerHeight: number
  /** Rows rendered beyond each edge of the view, so the keyboard cursor's next row is in the DOM. */
  overscan: number
}

/** What {@link useRowWindow} returns: the rows to render, `[startIndex, endIndex)`, and a way to show one. */
export interface RowWindow {
  startIndex: number
  endIndex: number
  /** Scrolls the least that shows the row at `index` whole, below the header. */
  scrollToIndex: (index: number) => void
}

/**
 * The rows of a fixed-height list that are in view. With one row height the rows in view
 * follow from `scrollTop` alone, so finding them is O(1) at any row count; a virtualiser
 * that measures rows keeps an entry per row and walks all of them when the list changes,
 * which a 200k-row tree feels on every change. The window moves only when the rows in view
 * change, and it renders in the scroll event itself (`flushSync`) so the frame that shows
 * the new scroll position shows its rows.
 */
export function useRowWindow({ scrollRef, rowCount, rowHeight, viewHeight, headerHeight, overscan }: RowWindowOptions): RowWindow {
  const [scrollTop, setScrollTop] = useState(0)
  const [measuredHeight, setMeasuredHeight] = useState(0)
  const height = measuredHeight > 0 ? measuredHeight : viewHeight
  const [first, end] = rowsInView(scrollTop, height, headerHeight, rowHeight)
  // What the window was last worked out from, read by the listeners without re-subscribing:
  // a scroll or a measurement that changes no row in view costs no render.
  const shown = useRef({ first, end, height })
  useEffect(() => {
    shown.current = { first, end, height }
  })
  // Whether the element may have moved from the top it starts at (a scroll event, or this hook scrolling it).
  const moved = useRef(false)

  useEffect(() => {
    const element = scrollRef.current
    if (!element) {
      return
    }
    const onScroll = () => {
      moved.current = true
      const [nextFirst, nextEnd] = rowsInView(element.scrollTop, shown.current.height, headerHeight, rowHeight)
      if (nextFirst !== shown.current.first || nextEnd !== shown.current.end) {
        shown.current = { first: nextFirst, end: nextEnd, height: shown.current.height }
        // Committed before this frame paints, as the scroll it follows.
        flushSync(() => setScrollTop(element.scrollTop))
      }
    }
    element.addEventListener('scroll', onScroll, { passive: true })
    let resizes: ResizeObserver | undefined
    if (typeof ResizeObserver !== 'undefined') {
      resizes = new ResizeObserver(() => {
        if (element.clientHeight !== shown.current.height) {
          setMeasuredHeight(element.clientHeight)
        }
      })
      resizes.observe(element)
    }
    return () => {
      element.removeEventListener('scroll', onScroll)
      resizes?.disconnect()
    }
  }, [scrollRef, headerHeight, rowHeight])

  const scrollToIndex = useCallback(
    (index: number) => {
      const element = scrollRef.current
      if (!element || index < 0) {
        return
      }
      // The first row of an element still at its top is in view below the header: no need
      // to read the element's size and scroll, which would lay out the page before its first frame.
      if (index === 0 && !moved.current && headerHeight + rowHeight <= shown.current.height) {
        return
      }
      const topScroll = index * rowHeight
      // The element's own height when it has a layout (borders and a scroll bar excluded).
      const viewportHeight = element.clientHeight > 0 ? element.clientHeight : shown.current.height
      const bottomScroll = headerHeight + (index + 1) * rowHeight - viewportHeight
      if (element.scrollTop > topScroll) {
        element.scrollTop = topScroll
      } else if (element.scrollTop < bottomScroll) {
        element.scrollTop = bottomScroll
      } else {
        return
      }
      moved.current = true
      // The scroll event comes later (and never in a DOM without layout): move the window now.
      setScrollTop(element.scrollTop)
    },
    [scrollRef, rowHeight, headerHeight],
  )

  // Rows may have shrunk (a collapse) before the browser's scroll event says where the view now is.
  const shownFirst = Math.min(first, Math.max(0, rowCount - (end - first)))
  return {
    startIndex: Math.max(0, shownFirst - overscan),
    endIndex: Math.min(rowCount, shownFirst + (end - first) + overscan),
    scrollToIndex,
  }
}

/** The rows that show at least a pixel below the header: `[first, end)`. */
function rowsInView(scrollTop: number, height: number, headerHeight: number, rowHeight: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight))
  return [first, Math.max(first + 1, Math.ceil((scrollTop + height - headerHeight) / rowHeight))]
}
