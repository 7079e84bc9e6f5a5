import { DEFAULT_MAX_RECORD_CHARS } from './lines'

/** One CSV record as the parser hands it over. */
export interface CsvRecord {
  /** The fields, unquoted and unescaped. */
  fields: string[]
  /** 1-based line on which the record starts (quoted newlines make records span lines). */
  lineNumber: number
  /** Why the record is malformed, or `null` when it is well-formed. */
  error: string | null
}

const QUOTE = 34 // "
const COMMA = 44 // ,
const LF = 10 // \n
const CR = 13 // \r

/** Where the parser is inside a record. */
const State = {
  /** At the start of a field: it may open a quote. */
  FieldStart: 0,
  /** Inside a field that did not start with a quote. */
  Unquoted: 1,
  /** Inside a quoted field. */
  Quoted: 2,
  /** Just after a quote inside a quoted field: `""` escapes a quote, anything else ends the field. */
  QuoteInQuoted: 3,
} as const

type State = (typeof State)[keyof typeof State]

function countNewlines(text: string, start: number, end: number): number {
  let count = 0
  let index = text.indexOf('\n', start)
  while (index !== -1 && index < end) {
    count++
    index = text.indexOf('\n', index + 1)
  }
  return count
}

/**
 * A streaming RFC 4180 parser: comma-separated, `"`-quoted fields, `""` for a quote inside
 * quotes, commas and line breaks allowed inside quotes, records ended by CRLF, LF or CR.
 * Text may be pushed in pieces split anywhere (inside quotes, between `\r` and `\n`).
 *
 * Lenient where RFC 4180 is strict only in ways that lose nothing: a blank line is skipped.
 * Malformed records are still handed over, with `error` set, so the caller can report the
 * line: a quote inside an unquoted field, text after a closing quote, a quote never closed,
 * or a record longer than `maxChars` (its text is dropped, but parsing resumes after it).
 */
export class CsvParser {
  private state: State = State.FieldStart
  private field = ''
  private fields: string[] = []
  private fieldQuoted = false
  private recordChars = 0
  private error: string | null = null
  private lineNumber = 1
  private recordLine = 1
  /** A `\r` ended the last record: a `\n` right after it belongs to it. */
  private skipLineFeed = false
  private readonly onRecord: (record: CsvRecord) => void
  private readonly maxChars: number

  constructor(onRecord: (record: CsvRecord) => void, maxChars: number = DEFAULT_MAX_RECORD_CHARS) {
    this.onRecord = onRecord
    this.maxChars = maxChars
  }

  /** Takes the next piece of text. */
  push(text: string): void {
    const length = text.length
    let index = 0
    while (index < length) {
      const code = text.charCodeAt(index)
      if (this.skipLineFeed) {
        this.skipLineFeed = false
        if (code === LF) {
          index++
          continue
        }
      }
      switch (this.state) {
        case State.Quoted: {
          const quote = text.indexOf('"', index)
          const end = quote === -1 ? length : quote
          this.lineNumber += countNewlines(text, index, end)
          this.append(text, index, end)
          if (quote === -1) {
            return
          }
          this.state = State.QuoteInQuoted
          index = quote + 1
          break
        }
        case State.QuoteInQuoted: {
          if (code === QUOTE) {
            this.append('"', 0, 1)
            this.state = State.Quoted
            index++
          } else if (code === COMMA || code === LF || code === CR) {
            // The closing quote ended the field; the delimiter is handled as unquoted.
            this.state = State.Unquoted
          } else {
            this.error ??= 'text after the closing quote of a field'
            this.state = State.Unquoted
          }
          break
        }
        case State.FieldStart: {
          if (code === QUOTE) {
            this.state = State.Quoted
            this.fieldQuoted = true
            index++
            break
          }
          this.state = State.Unquoted
          break
        }
        case State.Unquoted: {
          let end = index
          while (end < length) {
            const next = text.charCodeAt(end)
            if (next === COMMA || next === LF || next === CR || next === QUOTE) {
              break
            }
            end++
          }
          this.append(text, index, end)
          index = end
          if (index >= length) {
            return
          }
          const delimiter = text.charCodeAt(index)
          index++
          if (delimiter === QUOTE) {
            this.error ??= 'a quote inside a field that does not start with one'
            this.append('"', 0, 1)
          } else if (delimiter === COMMA) {
            this.endField()
          } else {
            this.lineNumber++
            this.skipLineFeed = delimiter === CR
            this.endRecord()
          }
          break
        }
        default:
          this.state satisfies never
      }
    }
  }

  /** The text has ended: hands over the last record, if any. */
  end(): void {
    if (this.state === State.Quoted) {
      this.error ??= 'a quoted field is never closed'
      this.endRecord()
      return
    }
    if (this.state !== State.FieldStart || this.fields.length > 0) {
      this.endRecord()
    }
  }

  private append(text: string, start: number, end: number): void {
    if (end <= start) {
      return
    }
    this.recordChars += end - start
    if (this.recordChars > this.maxChars) {
      if (this.error === null || !this.error.startsWith('record longer')) {
        this.error = `record longer than ${this.maxChars.toLocaleString('en-US')} characters (is a quote never closed?)`
      }
      this.field = ''
      this.fields = []
      return
    }
    this.field += start === 0 && end === text.length ? text : text.slice(start, end)
  }

  private endField(): void {
    this.fields.push(this.field)
    this.field = ''
    this.fieldQuoted = false
    this.state = State.FieldStart
  }

  private endRecord(): void {
    const blank = this.fields.length === 0 && this.field === '' && !this.fieldQuoted && this.error === null
    this.endField()
    const record: CsvRecord = { fields: this.fields, lineNumber: this.recordLine, error: this.error }
    this.fields = []
    this.error = null
    this.recordChars = 0
    this.recordLine = this.lineNumber
    if (!blank) {
      this.onRecord(record)
    }
  }
}
