/**
 * Longest line or CSV record kept, in UTF-16 code units. Longer ones are skipped with a
 * problem instead of growing without bound (an unclosed quote would otherwise swallow the
 * rest of the file). V8 cannot build a string much over 2^29 code units at all; PostHog caps
 * one AI event at 8 MB, so 128 Mi leaves ample room for any real record.
 */
export const DEFAULT_MAX_RECORD_CHARS = 128 * 1024 * 1024

/** Called for each complete line: its text (without `\n` or `\r\n`) and its 1-based number. */
export type LineHandler = (line: string, lineNumber: number) => void

/** Called for a line skipped because it was longer than the limit. */
export type OverlongLineHandler = (lineNumber: number, lengthChars: number) => void

/**
 * Splits streamed text into lines. Accepts `\n` and `\r\n` endings (a `\r` split from its
 * `\n` by a chunk boundary included) and a last line without a newline. A line is held as a
 * list of pieces until its end arrives, so long lines cost one join, not repeated copies.
 */
export class LineSplitter {
  private pieces: string[] = []
  private pendingChars = 0
  private overlong = false
  private lineNumber = 1
  private readonly onLine: LineHandler
  private readonly onOverlong: OverlongLineHandler
  private readonly maxChars: number

  constructor(onLine: LineHandler, onOverlong: OverlongLineHandler, maxChars: number = DEFAULT_MAX_RECORD_CHARS) {
    this.onLine = onLine
    this.onOverlong = onOverlong
    this.maxChars = maxChars
  }

  /** Takes the next piece of text. */
  push(text: string): void {
    let start = 0
    for (;;) {
      const newline = text.indexOf('\n', start)
      if (newline === -1) {
        this.keep(text, start, text.length)
        return
      }
      this.keep(text, start, newline)
      this.finishLine()
      start = newline + 1
    }
  }

  /** The text has ended: emits the last line if it had no newline. */
  end(): void {
    if (this.pendingChars > 0 || this.overlong) {
      this.finishLine()
    }
  }

  private keep(text: string, start: number, end: number): void {
    if (end <= start) {
      return
    }
    this.pendingChars += end - start
    if (this.overlong) {
      return
    }
    if (this.pendingChars > this.maxChars) {
      this.overlong = true
      this.pieces = []
      return
    }
    this.pieces.push(start === 0 && end === text.length ? text : text.slice(start, end))
  }

  private finishLine(): void {
    const lineNumber = this.lineNumber++
    if (this.overlong) {
      const length = this.pendingChars
      this.overlong = false
      this.pendingChars = 0
      this.onOverlong(lineNumber, length)
      return
    }
    let line = this.pieces.length === 1 ? (this.pieces[0] as string) : this.pieces.join('')
    this.pieces = []
    this.pendingChars = 0
    if (line.endsWith('\r')) {
      line = line.slice(0, -1)
    }
    this.onLine(line, lineNumber)
  }
}
