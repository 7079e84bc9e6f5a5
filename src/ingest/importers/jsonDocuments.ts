import type { ImportSink, TextParser } from './importers.types'
import { DEFAULT_MAX_RECORD_CHARS, LineSplitter } from './lines'
import { parseJson } from './json'
import { reportOverlongLine } from './posthogEvents'

/**
 * Called with each JSON document found: its value and a location prefix (`line 3` when the
 * source is JSON Lines, `''` when it is one document).
 */
export type DocumentHandler = (document: unknown, locationPrefix: string) => void

/**
 * Reads a source that is either ONE JSON document (compact or pretty-printed) or JSON Lines
 * of documents, without being told which:
 *
 * - If the first non-blank line parses as JSON on its own, the source is JSON Lines: each
 *   line is parsed and handed over as it arrives, so memory stays bounded by the longest line.
 *   Locations get a `line N` prefix, unless the source holds that one line only.
 * - Otherwise the lines are kept and parsed as one document at the end: a single document
 *   is held whole in memory (that is the limit of the `posthog-batch` and single-document
 *   `otlp-json` formats). If it is not valid JSON either, the kept lines are tried one by one,
 *   so a JSON Lines file whose first line is broken still imports its other lines.
 */
export function createJsonDocumentsParser(
  sink: ImportSink,
  onDocument: DocumentHandler,
  maxLineChars: number = DEFAULT_MAX_RECORD_CHARS,
): TextParser {
  let mode: 'undecided' | 'lines' | 'document' = 'undecided'
  // The first document of a source that may be JSON Lines: handed over once a second line
  // shows the source is JSON Lines (prefix `line N`), or at the end as the only document.
  let firstDocument: { value: unknown; lineNumber: number } | undefined
  const keptLines: { line: string; lineNumber: number }[] = []
  let keptChars = 0

  const parseLine = (line: string, lineNumber: number): void => {
    if (line.trim().length === 0) {
      return
    }
    const parsed = parseJson(line)
    if (parsed.ok) {
      onDocument(parsed.value, `line ${lineNumber}`)
    } else {
      sink.problem(`line ${lineNumber}`, `not valid JSON (${parsed.message})`)
    }
  }

  const flushFirstDocument = (locationPrefix: string | undefined): void => {
    if (firstDocument !== undefined) {
      const { value, lineNumber } = firstDocument
      firstDocument = undefined
      onDocument(value, locationPrefix ?? `line ${lineNumber}`)
    }
  }

  const splitter = new LineSplitter(
    (line, lineNumber) => {
      if (mode === 'lines') {
        if (firstDocument !== undefined && line.trim().length > 0) {
          flushFirstDocument(undefined)
        }
        parseLine(line, lineNumber)
        return
      }
      if (mode === 'undecided') {
        if (line.trim().length === 0) {
          return
        }
        const parsed = parseJson(line)
        if (parsed.ok) {
          mode = 'lines'
          firstDocument = { value: parsed.value, lineNumber }
          return
        }
        mode = 'document'
      }
      keptChars += line.length + 1
      if (keptChars > maxLineChars) {
        // A document this large cannot be built as one string: fall back to lines.
        mode = 'lines'
        for (const kept of keptLines.splice(0)) {
          parseLine(kept.line, kept.lineNumber)
        }
        parseLine(line, lineNumber)
        return
      }
      keptLines.push({ line, lineNumber })
    },
    (lineNumber, lengthChars) => reportOverlongLine(sink, lineNumber, lengthChars, maxLineChars),
    maxLineChars,
  )

  return {
    push: (text) => splitter.push(text),
    end: () => {
      splitter.end()
      // A source of one line is one document: its paths need no line prefix.
      flushFirstDocument('')
      if (mode !== 'document') {
        return
      }
      const parsed = parseJson(keptLines.map((kept) => kept.line).join('\n'))
      if (parsed.ok) {
        keptLines.length = 0
        onDocument(parsed.value, '')
        return
      }
      const nonBlank = keptLines.filter((kept) => kept.line.trim().length > 0)
      const firstLine = nonBlank[0]?.lineNumber ?? 1
      const lastLine = nonBlank[nonBlank.length - 1]?.lineNumber ?? firstLine
      const looksLikeLines = nonBlank.length > 1 && nonBlank.slice(1).some((kept) => parseJson(kept.line).ok)
      if (looksLikeLines) {
        for (const kept of nonBlank) {
          parseLine(kept.line, kept.lineNumber)
        }
      } else {
        sink.problem(
          firstLine === lastLine ? `line ${firstLine}` : `lines ${firstLine}-${lastLine}`,
          `not valid JSON (${parsed.message})`,
        )
      }
      keptLines.length = 0
    },
  }
}
