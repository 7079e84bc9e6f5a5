import type { ImportSource } from './importers.types'

/** Byte accounting of a source being read, updated as pieces of text are handed out. */
export interface SourceProgress {
  /** Bytes consumed so far (UTF-8 bytes for string pieces). */
  bytesRead: number
  /** Size of the whole source when known, else `null`. */
  totalBytes: number | null
}

/**
 * Characters per piece when slicing a string source, so that a large string is parsed and
 * chunked in steps like a stream rather than all at once.
 */
const STRING_PIECE_CHARS = 1 << 20

const BOM = '\uFEFF'

/**
 * Number of bytes `text` takes in UTF-8, without encoding it. A lone surrogate counts 3
 * bytes, as TextEncoder would write U+FFFD for it.
 */
export function utf8ByteLength(text: string): number {
  let bytes = text.length
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x80) {
      continue
    }
    if (code < 0x800) {
      bytes += 1
    } else if (code >= 0xd800 && code <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A surrogate pair: two UTF-16 units, four UTF-8 bytes.
        bytes += 2
        index++
      } else {
        bytes += 2
      }
    } else {
      bytes += 2
    }
  }
  return bytes
}

/**
 * Waits for `promise`, or rejects with the signal's reason as soon as it aborts, so a stalled
 * stream cannot hold an aborted import.
 */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return promise
  }
  signal.throwIfAborted()
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}

/** A Blob or File, also one from another realm (an iframe's), where `instanceof` fails. */
function isBlob(source: ImportSource): source is Blob {
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return true
  }
  const candidate = source as Partial<Blob>
  return typeof candidate.stream === 'function' && typeof candidate.size === 'number'
}

function isReadableStream(source: ImportSource): source is ReadableStream<Uint8Array> {
  return typeof (source as ReadableStream<Uint8Array>).getReader === 'function'
}

/** Slices a string source into pieces, never between the two halves of a surrogate pair. */
function* stringPieces(text: string): Generator<string> {
  let start = text.startsWith(BOM) ? 1 : 0
  while (start < text.length) {
    let end = Math.min(start + STRING_PIECE_CHARS, text.length)
    const last = text.charCodeAt(end - 1)
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) {
      end++
    }
    yield text.slice(start, end)
    start = end
  }
}

/** Reads a byte stream through its reader, so that an abort can cancel a pending read. */
async function* streamPieces(
  stream: ReadableStream<Uint8Array>,
  progress: SourceProgress,
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  const reader = stream.getReader()
  const decoder = new TextDecoder('utf-8')
  let finished = false
  try {
    for (;;) {
      const { done, value } = await raceAbort(reader.read(), signal)
      if (done) {
        finished = true
        break
      }
      progress.bytesRead += value.byteLength
      const text = decoder.decode(value, { stream: true })
      if (text.length > 0) {
        yield text
      }
      signal?.throwIfAborted()
    }
    const rest = decoder.decode()
    if (rest.length > 0) {
      yield rest
    }
  } finally {
    if (!finished) {
      // Aborted, failed or abandoned by the consumer: stop the producer too.
      reader.cancel(signal?.reason).catch(() => undefined)
    }
    try {
      reader.releaseLock()
    } catch {
      // Older stream implementations throw while a read is pending; the stream is cancelled anyway.
    }
  }
}

/** Reads an async iterable of byte or text chunks. */
async function* iterablePieces(
  iterable: AsyncIterable<Uint8Array | string>,
  progress: SourceProgress,
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  const iterator = iterable[Symbol.asyncIterator]()
  const decoder = new TextDecoder('utf-8')
  let finished = false
  let first = true
  try {
    for (;;) {
      const { done, value } = await raceAbort(iterator.next(), signal)
      if (done) {
        finished = true
        break
      }
      let text: string
      if (typeof value === 'string') {
        progress.bytesRead += utf8ByteLength(value)
        // Bytes of a character split before this string are lost: flush them first.
        text = decoder.decode() + value
        if (first && text.startsWith(BOM)) {
          text = text.slice(1)
        }
      } else {
        progress.bytesRead += value.byteLength
        text = decoder.decode(value, { stream: true })
      }
      if (text.length > 0) {
        first = false
        yield text
      }
      signal?.throwIfAborted()
    }
    const rest = decoder.decode()
    if (rest.length > 0) {
      yield rest
    }
  } finally {
    if (!finished) {
      iterator.return?.().catch(() => undefined)
    }
  }
}

/**
 * Turns any {@link ImportSource} into decoded text pieces, updating `progress` as bytes are
 * consumed. Multi-byte characters split across chunks are kept whole; a leading BOM is
 * dropped; invalid UTF-8 becomes U+FFFD. Throws `signal.reason` when aborted, including
 * while waiting for the next chunk.
 */
export async function* readTextPieces(
  source: ImportSource,
  progress: SourceProgress,
  signal: AbortSignal | undefined,
): AsyncGenerator<string> {
  signal?.throwIfAborted()
  if (typeof source === 'string') {
    progress.totalBytes = utf8ByteLength(source)
    for (const piece of stringPieces(source)) {
      progress.bytesRead += utf8ByteLength(piece)
      yield piece
      signal?.throwIfAborted()
    }
    // The dropped BOM still counts as read, so progress ends at totalBytes.
    progress.bytesRead = progress.totalBytes
    return
  }
  if (isBlob(source)) {
    progress.totalBytes = source.size
    yield* streamPieces(source.stream(), progress, signal)
    return
  }
  if (isReadableStream(source)) {
    yield* streamPieces(source, progress, signal)
    return
  }
  if (Symbol.asyncIterator in source) {
    yield* iterablePieces(source, progress, signal)
    return
  }
  throw new TypeError('readImport: the source must be a Blob, a ReadableStream, a string or an async iterable')
}
