/**
 * An incremental reader of server-sent events (the `text/event-stream` format), fed with the
 * bytes of a response body as they arrive. Only what LLM streams use: `event:` and `data:`
 * fields, events ended by a blank line, any of CRLF, LF or CR line ends.
 */
export interface ServerSentEvent {
  /** The `event:` field, when there was one. */
  event?: string
  /** The `data:` lines, joined by `\n`. */
  data: string
}

/** Decodes bytes into events. `push` returns the events completed by these bytes; `end` the last one. */
export class SseReader {
  private readonly decoder = new TextDecoder()
  private buffer = ''
  private dataLines: string[] = []
  private eventName: string | undefined

  push(bytes: Uint8Array): ServerSentEvent[] {
    return this.readLines(this.decoder.decode(bytes, { stream: true }), false)
  }

  end(): ServerSentEvent[] {
    return this.readLines(this.decoder.decode(), true)
  }

  private readLines(text: string, final: boolean): ServerSentEvent[] {
    this.buffer += text
    const events: ServerSentEvent[] = []
    let start = 0
    for (let index = 0; index < this.buffer.length; index++) {
      const char = this.buffer[index]
      if (char !== '\n' && char !== '\r') {
        continue
      }
      // A CR at the very end may be the first half of a CRLF split across chunks.
      if (char === '\r' && index === this.buffer.length - 1 && !final) {
        break
      }
      this.readLine(this.buffer.slice(start, index), events)
      if (char === '\r' && this.buffer[index + 1] === '\n') {
        index++
      }
      start = index + 1
    }
    this.buffer = this.buffer.slice(start)
    if (final) {
      if (this.buffer !== '') {
        this.readLine(this.buffer, events)
        this.buffer = ''
      }
      this.readLine('', events)
    }
    return events
  }

  private readLine(line: string, events: ServerSentEvent[]): void {
    if (line === '') {
      if (this.dataLines.length > 0) {
        events.push({ ...(this.eventName !== undefined ? { event: this.eventName } : {}), data: this.dataLines.join('\n') })
      }
      this.dataLines = []
      this.eventName = undefined
      return
    }
    if (line.startsWith(':')) {
      return
    }
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) {
      value = value.slice(1)
    }
    if (field === 'data') {
      this.dataLines.push(value)
    } else if (field === 'event') {
      this.eventName = value
    }
  }
}
