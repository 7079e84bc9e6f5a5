import { describe, expect, it } from 'vitest'
import { CONTENT_PROPERTY_NAMES } from '../../src/schema/propertySpecs'
import { validateEvent } from '../../src/schema/validate'
import { NOW_MS, expectValid, minimalGeneration } from './support'

const utf8 = new TextEncoder()

/** UTF-8 bytes of the JSON of all content properties of a properties object. */
function contentBytes(properties: Record<string, unknown>): number {
  let bytes = 0
  for (const name of CONTENT_PROPERTY_NAMES) {
    if (properties[name] !== undefined) {
      bytes += utf8.encode(JSON.stringify(properties[name])).length
    }
  }
  return bytes
}

/** A PNG of `byteSize` bytes: the PNG signature, then filler. */
function pngBase64(byteSize: number): string {
  const bytes = Buffer.alloc(byteSize, 7)
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(bytes)
  return bytes.toString('base64')
}

describe('validateEvent content limits', () => {
  it('keeps the system prompt and the latest turns of a conversation over the limit, with a marker between', () => {
    const conversation = [{ role: 'system', content: 'You are helpful.' }, ...Array.from({ length: 39 }, (_, index) => ({ role: index % 2 ? 'assistant' : 'user', content: `turn ${index + 1} `.padEnd(100, '.') }))]
    const answer = [{ role: 'assistant', content: [{ type: 'text', text: 'Short answer.' }] }]

    const { event, warnings } = expectValid(validateEvent(minimalGeneration({ $ai_input: conversation, $ai_output_choices: answer }), { nowMs: NOW_MS, maxContentBytes: 1000 }))

    const kept = event.properties.$ai_input as unknown[]
    expect(kept[0]).toEqual(conversation[0])
    expect(kept[1]).toBe('[truncated by aiscope: 33 of 40 items removed]')
    expect(kept.slice(2)).toEqual(conversation.slice(-6))
    expect(event.properties.$ai_output_choices).toEqual(answer)
    expect(contentBytes(event.properties)).toBeLessThanOrEqual(1000)
    expect(warnings).toEqual([
      {
        field: '$ai_input',
        reason: 'more than 4.2 kB of content cut to 886 B with "[truncated by aiscope: …]" markers: all content of an event (more than 4.2 kB here) must fit maxContentBytes (1.0 kB)',
      },
    ])
  })

  it('cuts one huge string with a marker that says how much was kept, not dropped', () => {
    const text = 'Lorem ipsum dolor sit amet, é ü 😀 '.repeat(150_000)
    const { event, warnings } = expectValid(validateEvent(minimalGeneration({ $ai_input: 'Summarise this.', $ai_output: text }), { nowMs: NOW_MS }))

    const kept = event.properties.$ai_output as string
    expect(text.startsWith(kept.slice(0, kept.indexOf('… [truncated by aiscope')))).toBe(true)
    expect(kept).toMatch(/… \[truncated by aiscope: 999\.\d kB of 5\.8 MB kept\]$/)
    expect(event.properties.$ai_input).toBe('Summarise this.')
    expect(contentBytes(event.properties)).toBeLessThanOrEqual(1_000_000)
    expect(warnings.map((warning) => warning.field)).toEqual(['$ai_output'])
  })

  it('shares the limit fairly: small fields stay whole, large ones split the rest', () => {
    const big = (label: string) => Array.from({ length: 50 }, (_, index) => ({ role: 'user', content: `${label} ${index} `.padEnd(2000, '-') }))
    const { event, warnings } = expectValid(
      validateEvent(minimalGeneration({ $ai_input: big('input'), $ai_output_choices: big('output'), $ai_tools: [{ name: 'search' }] }), { nowMs: NOW_MS, maxContentBytes: 50_000 }),
    )
    const inputBytes = utf8.encode(JSON.stringify(event.properties.$ai_input)).length
    const outputBytes = utf8.encode(JSON.stringify(event.properties.$ai_output_choices)).length
    expect(event.properties.$ai_tools).toEqual([{ name: 'search' }])
    expect(Math.abs(inputBytes - outputBytes)).toBeLessThan(2500)
    expect(contentBytes(event.properties)).toBeLessThanOrEqual(50_000)
    expect(warnings.map((warning) => warning.field)).toEqual(['$ai_input', '$ai_output_choices'])
  })

  it('leaves content under the limit exactly as it came', () => {
    const input = [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }]
    const { event, warnings } = expectValid(validateEvent(minimalGeneration({ $ai_input: input, $ai_input_state: { step: 1 }, $ai_output: 'x'.repeat(900) }), { nowMs: NOW_MS, maxContentBytes: 1000 }))
    expect(event.properties.$ai_input).toEqual(input)
    expect(event.properties.$ai_output).toBe('x'.repeat(900))
    expect(warnings).toEqual([])
  })
})

describe('validateEvent binary content', () => {
  const png = pngBase64(48_200)

  it.each([
    ['an OpenAI image_url data URL', { type: 'image_url', image_url: { url: `data:image/png;base64,${png}`, detail: 'high' } }, { type: 'image_url', image_url: { url: '[image/png base64, 48.2 kB]', detail: 'high' } }],
    ['an Anthropic base64 image', { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: png } }, { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '[image/jpeg base64, 48.2 kB]' } }],
    ['a Gemini inlineData blob', { inlineData: { mimeType: 'audio/wav', data: png } }, { inlineData: { mimeType: 'audio/wav', data: '[audio/wav base64, 48.2 kB]' } }],
    ['a raw base64 image in a Vercel part (type sniffed)', { type: 'image', image: png }, { type: 'image', image: '[image/png base64, 48.2 kB]' }],
    ['OpenAI input audio', { type: 'input_audio', input_audio: { data: png, format: 'mp3' } }, { type: 'input_audio', input_audio: { data: '[audio/mpeg base64, 48.2 kB]', format: 'mp3' } }],
    ['a PDF data URL in an OpenAI file part', { type: 'file', file: { filename: 'a.pdf', file_data: `data:application/pdf;base64,${png}` } }, { type: 'file', file: { filename: 'a.pdf', file_data: '[application/pdf base64, 48.2 kB]' } }],
    ['bytes in a Vercel file part', { type: 'file', data: new Uint8Array(2048), mediaType: 'application/pdf' }, { type: 'file', data: '[application/pdf bytes, 2.0 kB]', mediaType: 'application/pdf' }],
  ])('replaces %s with a placeholder that keeps its size', (_, part, expected) => {
    const { event, warnings } = expectValid(validateEvent(minimalGeneration({ $ai_input: [{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, part] }] }), { nowMs: NOW_MS }))
    expect(event.properties.$ai_input).toEqual([{ role: 'user', content: [{ type: 'text', text: 'What is this?' }, expected] }])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.field).toMatch(/^\$ai_input\[0\]\.content\[1\]\./)
  })

  it('reports all placeholders of a property in one warning', () => {
    const image = { type: 'image', source: { type: 'base64', media_type: 'image/png', data: png } }
    const { warnings } = expectValid(validateEvent(minimalGeneration({ $ai_input: [{ role: 'user', content: [image, image, image] }] }), { nowMs: NOW_MS }))
    expect(warnings).toEqual([
      {
        field: '$ai_input[0].content[0].source.data',
        reason: '3 base64 payloads (144.6 kB decoded) replaced with placeholders such as "[image/png base64, 48.2 kB]" (3 places; the first is named)',
      },
    ])
  })

  it('leaves ordinary long text and short base64-looking ids alone', () => {
    const prose = 'The quick brown fox jumps over the lazy dog. '.repeat(100)
    const { event, warnings } = expectValid(validateEvent(minimalGeneration({ $ai_input: [{ role: 'user', content: prose }], $ai_output_choices: [{ role: 'assistant', content: [{ type: 'function', id: 'call_Wq6mHxG7r1bCKZdu98tdeH51', function: { name: 'f', arguments: '{}' } }] }] }), { nowMs: NOW_MS }))
    expect(event.properties.$ai_input).toEqual([{ role: 'user', content: prose }])
    expect(warnings).toEqual([])
  })
})
