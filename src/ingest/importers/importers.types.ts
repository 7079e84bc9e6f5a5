import type { CaptureInput } from '../captureTarget'

/** The export formats {@link readImport} understands. */
export const IMPORT_FORMATS = ['posthog-jsonl', 'posthog-batch', 'posthog-csv', 'otlp-json'] as const

/**
 * One of {@link IMPORT_FORMATS}:
 * - `posthog-jsonl`: one PostHog event per line (`{event, properties, uuid?, distinct_id?,
 *   timestamp?}`), as PostHog's JSONLines batch export or `posthog-node` write them;
 *   `properties` may be an object or a JSON string.
 * - `posthog-batch`: PostHog capture request bodies: `/batch/` (`{api_key, batch: [...],
 *   sent_at}`), `/capture/` (one `{event, properties}`), or a bare array of events; one
 *   document, or JSON Lines with one body per line.
 * - `posthog-csv`: a CSV export of PostHog's events table (RFC 4180, header row; nested
 *   values flattened into `properties.$key.0.role` columns, or a `properties` JSON column).
 * - `otlp-json`: OTLP/JSON `ExportTraceServiceRequest`s (`{resourceSpans: [...]}`), one
 *   document or JSON Lines of them (the OpenTelemetry collector's file exporter).
 */
export type ImportFormat = (typeof IMPORT_FORMATS)[number]

/**
 * What can be imported: a `File`/`Blob` (its size gives `totalBytes`), a byte stream
 * (`fetch(...).body`), a string already in memory, or any async iterable of byte or text
 * chunks (a Node file stream, for example). Bytes are decoded as UTF-8; a leading BOM is dropped.
 */
export type ImportSource = Blob | ReadableStream<Uint8Array> | string | AsyncIterable<Uint8Array | string>

/** Something in the source that was skipped or only partly imported, and why. */
export interface ImportProblem {
  /**
   * Where: `line 17` (1-based line where the record starts, for JSONL and CSV), or a record
   * path such as `resourceSpans[0].scopeSpans[1].spans[3]` (OTLP) or `batch[4]` (a batch
   * body), prefixed with `line N, ` when the document is one line of a JSON Lines file.
   */
  location: string
  /** What was wrong, in words a host can show: `not valid JSON (Unexpected token ...)`. */
  message: string
}

/** One step of an import: the events parsed since the previous chunk and the problems met. */
export interface ImportChunk {
  /** Raw PostHog-shaped events, not yet validated: hand them to `capture` / `validateEvent`. */
  events: CaptureInput[]
  /**
   * Where each event came from, parallel to `events` (same index), in the form of
   * {@link ImportProblem.location}: lets a caller report a later validation failure by line.
   */
  locations: string[]
  /** Problems met since the previous chunk (records skipped, values dropped). */
  problems: ImportProblem[]
  /** Bytes of the source consumed so far (UTF-8 bytes for a string source). Never decreases. */
  bytesRead: number
  /** Size of the whole source when known (Blob, string), else `null`. */
  totalBytes: number | null
}

/** Options of {@link readImport}. */
export interface ImportOptions {
  /** Which format the source is in. */
  format: ImportFormat
  /** Aborting it stops the import: the generator throws `signal.reason`. */
  signal?: AbortSignal
  /** Events per chunk. @default 1000 */
  chunkSize?: number
}

/** What the import generator returns when it has read the whole source. */
export interface ImportSummary {
  /** Events yielded in all chunks. */
  eventCount: number
  /** Problems met, including those past the listing cap (only the first 1,000 are listed). */
  problemCount: number
  /** Bytes of the source consumed: all of it. */
  bytesRead: number
}

/** Where format parsers put what they find; the reader turns it into {@link ImportChunk}s. */
export interface ImportSink {
  /** An event read from the record at `location`. */
  event(event: CaptureInput, location: string): void
  problem(location: string, message: string): void
}

/**
 * A format parser: fed decoded text piece by piece (pieces may split lines, quoted fields
 * and characters of any kind), it reports events and problems to its sink synchronously.
 */
export interface TextParser {
  /** Takes the next piece of text. */
  push(text: string): void
  /** The source has ended: finish the last record. */
  end(): void
}
