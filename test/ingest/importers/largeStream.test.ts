import { describe, expect, it } from 'vitest'
import { readImport } from '../../../src/ingest/importers'

const MIB = 1024 * 1024
const SOURCE_BYTES = 200 * MIB

/**
 * One realistic `$ai_generation` line (about 600 bytes, with multi-byte characters). The
 * stream repeats a 1 MiB block of these, cut at an odd offset, so reads end mid-line and
 * mid-character; only that block is ever in memory on the producing side.
 */
function generationLine(index: number): string {
  return `${JSON.stringify({
    event: '$ai_generation',
    uuid: `0193a1b2-0000-7000-8000-${String(index).padStart(12, '0')}`,
    distinct_id: `user_${index % 97}`,
    timestamp: '2026-11-27T08:49:37.450Z',
    properties: {
      $ai_trace_id: `trace_${index}`,
      $ai_provider: 'openai',
      $ai_model: 'gpt-4o-mini',
      $ai_model_parameters: { temperature: 0.2, max_tokens: 256 },
      $ai_input: [{ role: 'user', content: 'Wie wird das Wetter in Köln? 天気は？ 👋' }],
      $ai_output_choices: [{ role: 'assistant', content: [{ type: 'text', text: 'Sonnig, 22 °C ☀️ — keine Regenwahrscheinlichkeit.' }] }],
      $ai_input_tokens: 120 + (index % 50),
      $ai_output_tokens: 30,
      $ai_latency: 0.84,
      $lib: 'posthog-node',
    },
  })}\n`
}

/** A 1 MiB block of whole lines, padded with a blank-space line to exactly 1 MiB. */
function oneMebibyteBlock(): Uint8Array {
  const encoder = new TextEncoder()
  const lines: string[] = []
  let size = 0
  for (let index = 0; ; index++) {
    const line = generationLine(index)
    const lineBytes = encoder.encode(line).length
    if (size + lineBytes > MIB - 2) {
      break
    }
    lines.push(line)
    size += lineBytes
  }
  // Pad with spaces and a newline: a blank line, skipped by the importer.
  lines.push(`${' '.repeat(MIB - size - 1)}\n`)
  const block = encoder.encode(lines.join(''))
  expect(block.length).toBe(MIB)
  return block
}

describe('readImport: a 200 MB JSONL stream', () => {
  it('streams it to the end with the right event count, without holding it in memory', async () => {
    const block = oneMebibyteBlock()
    const text = new TextDecoder().decode(block)
    const eventsPerBlock = text.split('\n').filter((line) => line.trim() !== '').length
    const blockCount = SOURCE_BYTES / MIB
    let emitted = 0
    let half = true
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (emitted >= blockCount) {
          controller.close()
          return
        }
        // Two uneven reads per block: the cut falls inside a line (and a character, often).
        controller.enqueue(half ? block.subarray(0, 333_333) : block.subarray(333_333))
        if (!half) {
          emitted++
        }
        half = !half
      },
    })

    const heapBefore = process.memoryUsage().heapUsed
    let peakHeap = heapBefore
    let eventCount = 0
    let lastBytes = 0
    let lastTokens = 0
    const started = performance.now()
    const importer = readImport(stream, { format: 'posthog-jsonl', chunkSize: 1000 })
    let step = await importer.next()
    while (step.done !== true) {
      const chunk = step.value
      expect(chunk.problems).toEqual([])
      expect(chunk.bytesRead).toBeGreaterThanOrEqual(lastBytes)
      lastBytes = chunk.bytesRead
      eventCount += chunk.events.length
      lastTokens = Number(chunk.events.at(-1)?.properties?.$ai_input_tokens ?? lastTokens)
      if (eventCount % 50_000 < chunk.events.length) {
        peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
      }
      step = await importer.next()
    }
    const seconds = (performance.now() - started) / 1000

    expect(step.value).toEqual({ eventCount: eventsPerBlock * blockCount, problemCount: 0, bytesRead: SOURCE_BYTES })
    expect(eventCount).toBe(eventsPerBlock * blockCount)
    expect(lastTokens).toBeGreaterThanOrEqual(120)
    // Holding the source would take > 200 MB of heap (twice that as UTF-16 strings, more as
    // parsed events); the margin leaves room for garbage the collector has not reclaimed yet.
    expect(peakHeap - heapBefore).toBeLessThan(150 * MIB)
    console.log(
      `200 MiB JSONL: ${eventCount.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s = ` +
        `${(SOURCE_BYTES / MIB / seconds).toFixed(1)} MiB/s, ${Math.round(eventCount / seconds).toLocaleString('en-US')} events/s; ` +
        `peak heap growth ${((peakHeap - heapBefore) / MIB).toFixed(1)} MiB`,
    )
  }, 60_000)
})
