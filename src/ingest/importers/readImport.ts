import type { CaptureInput } from '../captureTarget'
import {
  IMPORT_FORMATS,
  type ImportChunk,
  type ImportFormat,
  type ImportOptions,
  type ImportProblem,
  type ImportSink,
  type ImportSource,
  type ImportSummary,
  type TextParser,
} from './importers.types'
import { createJsonDocumentsParser } from './jsonDocuments'
import { createOtlpJsonParser } from './otlp'
import { createPosthogCsvParser } from './posthogCsv'
import { createPosthogJsonlParser, readCaptureBody } from './posthogEvents'
import { readTextPieces, type SourceProgress } from './source'

/** Problems listed in chunks; past this many they are only counted (a wrong file makes millions). */
export const MAX_LISTED_PROBLEMS = 1000

/**
 * A chunk is yielded after at least this many bytes even with fewer than `chunkSize` events,
 * so progress keeps moving through stretches of a source that hold few events.
 */
const PROGRESS_STEP_BYTES = 16 * 1024 * 1024

/** Collects what the format parser finds between two chunks. */
class ChunkCollector implements ImportSink {
  events: CaptureInput[] = []
  locations: string[] = []
  problems: ImportProblem[] = []
  eventCount = 0
  problemCount = 0

  event(event: CaptureInput, location: string): void {
    this.events.push(event)
    this.locations.push(location)
    this.eventCount++
  }

  problem(location: string, message: string): void {
    this.problemCount++
    if (this.problemCount <= MAX_LISTED_PROBLEMS) {
      this.problems.push({ location, message })
    }
  }
}

function createParser(format: ImportFormat, sink: ImportSink): TextParser {
  switch (format) {
    case 'posthog-jsonl':
      return createPosthogJsonlParser(sink)
    case 'posthog-batch':
      return createJsonDocumentsParser(sink, (body, prefix) => readCaptureBody(body, prefix, sink))
    case 'posthog-csv':
      return createPosthogCsvParser(sink)
    case 'otlp-json':
      return createOtlpJsonParser(sink)
    default:
      return format satisfies never
  }
}

/** Renders a problem the way a log line or a host's error list would show it: `line 17: not valid JSON (...)`. */
export function formatImportProblem(problem: ImportProblem): string {
  return `${problem.location}: ${problem.message}`
}

/**
 * Streams a source, yielding chunks of raw PostHog-shaped events and the problems met, and
 * returns a summary when the whole source has been read.
 *
 * Memory: JSONL, CSV and OTLP JSON Lines are parsed as they stream in, so memory is bounded
 * by the chunk size and the longest record (at most 128 Mi characters; longer records are
 * skipped and reported). `posthog-batch` and single-document `otlp-json` sources are ONE
 * JSON document each: that document is held whole in memory while it is parsed.
 *
 * Progress: every chunk carries `bytesRead` (never decreasing) and `totalBytes` (Blob size or
 * string length in UTF-8; `null` for streams); the last chunk's `bytesRead` is the whole source.
 * A chunk comes at least every `chunkSize` events and every 16 MiB read.
 *
 * Cancellation: aborting `options.signal` makes the generator throw `signal.reason`, also
 * while it waits for the next chunk of a stream; the source stream is cancelled. Leaving a
 * `for await` loop early cancels it too.
 *
 * Events are not validated here: hand them to `capture` (or `validateEvent`). Problems are
 * listed up to the first 1,000; `ImportSummary.problemCount` counts them all.
 *
 * @example
 * const importer = readImport(file, { format: 'otlp-json', signal })
 * for await (const chunk of importer) {
 *   for (const event of chunk.events) scope.capture(event)
 *   onProgress(chunk.bytesRead / (chunk.totalBytes ?? file.size))
 * }
 */
export async function* readImport(
  source: ImportSource,
  options: ImportOptions,
): AsyncGenerator<ImportChunk, ImportSummary> {
  const { format, signal } = options
  const chunkSize = options.chunkSize ?? 1000
  if (!(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw new TypeError(`readImport: unknown format ${JSON.stringify(format)}; expected one of ${IMPORT_FORMATS.join(', ')}`)
  }
  if (!Number.isInteger(chunkSize) || chunkSize < 1) {
    throw new RangeError(`readImport: chunkSize must be a positive integer, got ${String(chunkSize)}`)
  }
  signal?.throwIfAborted()

  const progress: SourceProgress = { bytesRead: 0, totalBytes: null }
  const collector = new ChunkCollector()
  const parser = createParser(format, collector)
  let yieldedChunks = 0
  let lastYieldedBytes = 0

  const takeChunk = (): ImportChunk => {
    const count = Math.min(chunkSize, collector.events.length)
    const events = collector.events.splice(0, count)
    const locations = collector.locations.splice(0, count)
    const problems = collector.problems.splice(0)
    yieldedChunks++
    lastYieldedBytes = progress.bytesRead
    return { events, locations, problems, bytesRead: progress.bytesRead, totalBytes: progress.totalBytes }
  }
  const isFull = (): boolean => collector.events.length >= chunkSize || collector.problems.length >= chunkSize

  for await (const piece of readTextPieces(source, progress, signal)) {
    parser.push(piece)
    while (isFull()) {
      yield takeChunk()
      signal?.throwIfAborted()
    }
    if (progress.bytesRead - lastYieldedBytes >= PROGRESS_STEP_BYTES) {
      yield takeChunk()
      signal?.throwIfAborted()
    }
  }
  parser.end()
  if (collector.problemCount > MAX_LISTED_PROBLEMS) {
    const unlisted = collector.problemCount - MAX_LISTED_PROBLEMS
    collector.problems.push({
      location: 'import',
      message: `${unlisted.toLocaleString('en-US')} more problems were met and not listed (only the first ${MAX_LISTED_PROBLEMS.toLocaleString('en-US')} are)`,
    })
  }
  while (isFull()) {
    yield takeChunk()
    signal?.throwIfAborted()
  }
  if (
    collector.events.length > 0 ||
    collector.problems.length > 0 ||
    yieldedChunks === 0 ||
    lastYieldedBytes !== progress.bytesRead
  ) {
    yield takeChunk()
  }
  return { eventCount: collector.eventCount, problemCount: collector.problemCount, bytesRead: progress.bytesRead }
}
