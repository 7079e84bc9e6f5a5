import { describe, expect, it } from 'vitest'
import { MAX_LISTED_PROBLEMS, readImport, type ImportFormat } from '../../../src/ingest/importers'
import { collectImport, fixtureBytes, tinyChunkStream } from './importTestUtils'

function eventLines(count: number): string {
  return Array.from({ length: count }, (_, index) => `{"event":"e${index}","properties":{"n":${index},"text":"ü€😀"}}\n`).join('')
}

describe('readImport: sources and progress', () => {
  const text = eventLines(250)
  const bytes = new TextEncoder().encode(text)

  it('reads a string, a Blob, a byte stream and an async iterable of mixed chunks alike', async () => {
    // Bytes up to the end of a line, then the rest as a string (1001 splits a character).
    const cut = text.indexOf('\n', 2000) + 1
    const cutBytes = new TextEncoder().encode(text.slice(0, cut)).length
    async function* mixed(): AsyncGenerator<Uint8Array | string> {
      yield bytes.slice(0, 1001)
      yield bytes.slice(1001, cutBytes)
      yield text.slice(cut)
    }
    const sources = [text, new Blob([bytes]), tinyChunkStream(bytes), mixed()]
    const results = await Promise.all(sources.map((source) => collectImport(readImport(source, { format: 'posthog-jsonl' }))))
    for (const result of results) {
      expect(result.events).toEqual(results[0]?.events)
      expect(result.summary).toEqual({ eventCount: 250, problemCount: 0, bytesRead: bytes.length })
    }
  })

  it('yields chunks of chunkSize events, with progress that never goes back and ends at totalBytes', async () => {
    const { chunks } = await collectImport(readImport(new Blob([bytes]), { format: 'posthog-jsonl', chunkSize: 40 }))
    expect(chunks.map((chunk) => chunk.events.length)).toEqual([40, 40, 40, 40, 40, 40, 10])
    const progress = chunks.map((chunk) => chunk.bytesRead)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))
    expect(chunks.every((chunk) => chunk.totalBytes === bytes.length)).toBe(true)
    expect(progress.at(-1)).toBe(bytes.length)
    expect(chunks.every((chunk) => chunk.locations.length === chunk.events.length)).toBe(true)
    expect(chunks[1]?.locations[0]).toBe('line 41')
  })

  it('reports totalBytes as null for a stream, and as the UTF-8 size of a string', async () => {
    const streamed = await collectImport(readImport(tinyChunkStream(bytes), { format: 'posthog-jsonl' }))
    expect(streamed.chunks.every((chunk) => chunk.totalBytes === null)).toBe(true)
    const fromString = await collectImport(readImport(`\uFEFF${text}`, { format: 'posthog-jsonl' }))
    expect(fromString.chunks.at(-1)?.totalBytes).toBe(bytes.length + 3)
    expect(fromString.chunks.at(-1)?.bytesRead).toBe(bytes.length + 3)
  })

  it('yields one empty chunk for an empty source', async () => {
    const { chunks, summary } = await collectImport(readImport('', { format: 'otlp-json' }))
    expect(chunks).toEqual([{ events: [], locations: [], problems: [], bytesRead: 0, totalBytes: 0 }])
    expect(summary).toEqual({ eventCount: 0, problemCount: 0, bytesRead: 0 })
  })

  it('lists the first 1,000 problems and counts the rest', async () => {
    const broken = 'not json\n'.repeat(MAX_LISTED_PROBLEMS + 250)
    const { problems, summary } = await collectImport(readImport(broken, { format: 'posthog-jsonl' }))
    expect(summary.problemCount).toBe(MAX_LISTED_PROBLEMS + 250)
    expect(problems).toHaveLength(MAX_LISTED_PROBLEMS + 1)
    expect(problems.at(-1)).toEqual({
      location: 'import',
      message: '250 more problems were met and not listed (only the first 1,000 are)',
    })
  })

  it('refuses an unknown format or a bad chunk size', async () => {
    await expect(readImport('', { format: 'parquet' as ImportFormat }).next()).rejects.toThrow(
      'readImport: unknown format "parquet"; expected one of posthog-jsonl, posthog-batch, posthog-csv, otlp-json',
    )
    await expect(readImport('', { format: 'posthog-csv', chunkSize: 0 }).next()).rejects.toThrow(RangeError)
  })
})

describe('readImport: cancellation', () => {
  it('rejects with the signal reason when aborted between chunks, and cancels the source', async () => {
    let cancelledWith: unknown
    let offset = 0
    const bytes = new TextEncoder().encode(eventLines(5000))
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(bytes.slice(offset, offset + 4096))
        offset += 4096
        if (offset >= bytes.length) {
          controller.close()
        }
      },
      cancel(reason) {
        cancelledWith = reason
      },
    })
    const controller = new AbortController()
    const reason = new Error('user pressed stop')
    const importer = readImport(stream, { format: 'posthog-jsonl', chunkSize: 100, signal: controller.signal })
    const first = await importer.next()
    expect(first.done).toBe(false)
    controller.abort(reason)
    await expect(importer.next()).rejects.toBe(reason)
    expect(cancelledWith).toBe(reason)
    expect(offset).toBeLessThan(bytes.length)
  })

  it('rejects while waiting on a stalled stream, without waiting for more data', async () => {
    const stalled = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"event":"a"}\n'))
        // Never closes: the next read waits forever.
      },
    })
    const controller = new AbortController()
    const importer = readImport(stalled, { format: 'posthog-jsonl', chunkSize: 1, signal: controller.signal })
    expect((await importer.next()).value).toMatchObject({ events: [{ event: 'a' }] })
    const pending = importer.next()
    setTimeout(() => controller.abort(new DOMException('stopped', 'AbortError')), 5)
    await expect(pending).rejects.toMatchObject({ name: 'AbortError', message: 'stopped' })
  })

  it('rejects at once when the signal is already aborted', async () => {
    const reason = new Error('too late')
    await expect(
      readImport('{"event":"a"}', { format: 'posthog-jsonl', signal: AbortSignal.abort(reason) }).next(),
    ).rejects.toBe(reason)
  })

  it('cancels the source stream when the consumer stops early', async () => {
    let cancelled = false
    const bytes = fixtureBytes('posthog-export.jsonl')
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(bytes)
      },
      cancel() {
        cancelled = true
      },
    })
    let seen = 0
    for await (const chunk of readImport(stream, { format: 'posthog-jsonl', chunkSize: 10 })) {
      seen += chunk.events.length
      if (seen >= 30) {
        break
      }
    }
    expect(cancelled).toBe(true)
  })
})
