import { readFileSync } from 'node:fs'
import type { CaptureInput } from '../../../src/ingest/captureTarget'
import type { ImportChunk, ImportProblem, ImportSummary } from '../../../src/ingest/importers'

/** Everything an import produced: the chunks, their contents flattened, and the summary. */
export interface CollectedImport {
  chunks: ImportChunk[]
  events: CaptureInput[]
  locations: string[]
  problems: ImportProblem[]
  summary: ImportSummary
}

/** Runs an import to the end, keeping its return value (which `for await` drops). */
export async function collectImport(importer: AsyncGenerator<ImportChunk, ImportSummary>): Promise<CollectedImport> {
  const chunks: ImportChunk[] = []
  let step = await importer.next()
  while (step.done !== true) {
    chunks.push(step.value)
    step = await importer.next()
  }
  return {
    chunks,
    events: chunks.flatMap((chunk) => chunk.events),
    locations: chunks.flatMap((chunk) => chunk.locations),
    problems: chunks.flatMap((chunk) => chunk.problems),
    summary: step.value,
  }
}

/** The text of a file in `fixtures/`. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')
}

/** The bytes of a file in `fixtures/`. */
export function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url)))
}

/**
 * A byte stream that hands `bytes` over in chunks of 1, 2 and 3 bytes in turn, so chunk
 * boundaries fall inside every multi-byte character, CRLF pair and quoted field.
 */
export function tinyChunkStream(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0
  let size = 1
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) {
        controller.close()
        return
      }
      controller.enqueue(bytes.slice(offset, offset + size))
      offset += size
      size = (size % 3) + 1
    },
  })
}

/** The properties of an event, typed for assertions. */
export function propertiesOf(event: CaptureInput | undefined): Record<string, unknown> {
  if (event?.properties === undefined) {
    throw new Error('expected an event with properties')
  }
  return event.properties
}
