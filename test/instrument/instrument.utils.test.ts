import { readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { GenerationRecording } from '../../src/instrument/generation'
import { AISCOPE_LIB_VERSION, describeError, newId, toJsonSafe } from '../../src/instrument/instrument.utils'
import { tapIterator } from '../../src/instrument/sdkCall'
import { SseReader } from '../../src/instrument/sse'

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('toJsonSafe', () => {
  it('copies plain JSON as it is', () => {
    const value = { a: [1, 'two', true, null, { b: 2.5 }], c: { d: {} } }
    const copy = toJsonSafe(value)
    expect(copy).toEqual(value)
    expect(copy).not.toBe(value)
  })

  it('marks cycles but copies an object reached twice by different paths', () => {
    const shared = { id: 1 }
    const value: Record<string, unknown> = { left: shared, right: shared }
    value.self = value
    expect(toJsonSafe(value)).toEqual({ left: { id: 1 }, right: { id: 1 }, self: '[Circular]' })
  })

  it('turns what JSON cannot hold into what JSON.stringify would, or a marker', () => {
    const value = {
      big: 10n,
      nan: Number.NaN,
      gone: undefined,
      fn: () => 1,
      list: [undefined, () => 1, Number.POSITIVE_INFINITY],
      date: new Date('2026-01-02T03:04:05.000Z'),
      bytes: new Uint8Array(4),
      [Symbol('hidden')]: 1,
    }
    expect(toJsonSafe(value)).toEqual({
      big: '10',
      nan: null,
      list: [null, null, null],
      date: '2026-01-02T03:04:05.000Z',
      bytes: '[binary 4 bytes]',
    })
  })

  it('survives getters and toJSON that throw', () => {
    const value = {
      ok: 1,
      get broken(): unknown {
        throw new Error('no')
      },
      nested: { toJSON: () => { throw new Error('no') } },
    }
    expect(toJsonSafe(value)).toEqual({ ok: 1, broken: '[Unserializable]', nested: '[Unserializable]' })
  })

  it('keeps a __proto__ key as an own key', () => {
    const copy = toJsonSafe(JSON.parse('{"__proto__": {"x": 1}}')) as Record<string, unknown>
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype)
    expect(Object.getOwnPropertyDescriptor(copy, '__proto__')?.value).toEqual({ x: 1 })
  })

  it('cuts nesting that is absurdly deep', () => {
    let deep: Record<string, unknown> = {}
    const root = deep
    for (let level = 0; level < 200; level++) {
      deep.next = {}
      deep = deep.next as Record<string, unknown>
    }
    expect(JSON.stringify(toJsonSafe(root))).toContain('[Too deep]')
  })
})

describe('SseReader', () => {
  const encode = (text: string) => new TextEncoder().encode(text)

  it('reads events split anywhere, including inside a multi-byte character and a CRLF', () => {
    const text = 'event: greeting\r\ndata: {"text":"héllo ☀"}\r\n\r\n: keep-alive\n\ndata: line one\ndata: line two\n\ndata: [DONE]\n\n'
    const bytes = encode(text)
    const expected = [
      { event: 'greeting', data: '{"text":"héllo ☀"}' },
      { data: 'line one\nline two' },
      { data: '[DONE]' },
    ]
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const reader = new SseReader()
      const events = []
      for (let start = 0; start < bytes.length; start += size) {
        events.push(...reader.push(bytes.slice(start, start + size)))
      }
      events.push(...reader.end())
      expect(events).toEqual(expected)
    }
  })

  it('dispatches a last event that has no blank line after it', () => {
    const reader = new SseReader()
    expect(reader.push(encode('data: {"a":1}'))).toEqual([])
    expect(reader.end()).toEqual([{ data: '{"a":1}' }])
  })
})

describe('tapIterator', () => {
  function recording() {
    const calls: unknown[][] = []
    const record = (name: string) => (...args: unknown[]) => {
      while (args.length > 0 && args.at(-1) === undefined) {
        args.pop()
      }
      calls.push([name, ...args])
    }
    const fake = {
      generationId: 'g',
      traceId: 't',
      succeed: record('succeed'),
      beginStream: record('beginStream'),
      chunk: record('chunk'),
      finishStream: record('finishStream'),
      fail: record('fail'),
      remember: record('remember'),
    } satisfies GenerationRecording
    return { fake, calls }
  }

  it('returns the very result objects of the inner iterator', async () => {
    const chunks = [{ n: 1 }, { n: 2 }]
    async function* source() {
      yield* chunks
    }
    const { fake, calls } = recording()
    const inner = source()
    const tapped = tapIterator(inner, fake)
    const first = await tapped.next()
    expect(first.value).toBe(chunks[0])
    expect((await tapped.next()).value).toBe(chunks[1])
    expect(await tapped.next()).toEqual({ done: true, value: undefined })
    expect(calls).toEqual([['chunk', chunks[0]], ['chunk', chunks[1]], ['finishStream', 'done']])
  })

  it('forwards return() so the source can clean up, and reports the cancel once', async () => {
    let cleanedUp = false
    async function* source() {
      try {
        yield 1
        yield 2
      } finally {
        cleanedUp = true
      }
    }
    const { fake, calls } = recording()
    for await (const value of tapIterator(source(), fake)) {
      expect(value).toBe(1)
      break
    }
    expect(cleanedUp).toBe(true)
    expect(calls).toEqual([['chunk', 1], ['finishStream', 'cancelled']])
  })

  it('rethrows the inner error as it is', async () => {
    const failure = new Error('boom')
    async function* source(): AsyncGenerator<number> {
      yield 1
      throw failure
    }
    const { fake, calls } = recording()
    const tapped = tapIterator(source(), fake)
    await tapped.next()
    await expect(tapped.next()).rejects.toBe(failure)
    expect(calls.at(-1)).toEqual(['finishStream', 'error', failure])
  })
})

describe('ids, errors and version', () => {
  it('makes UUID v4 ids, also without crypto.randomUUID', () => {
    expect(newId()).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    vi.stubGlobal('crypto', { getRandomValues: (bytes: Uint8Array) => bytes.fill(0xff) })
    expect(newId()).toBe('ffffffff-ffff-4fff-bfff-ffffffffffff')
  })

  it('describes any thrown value', () => {
    expect(describeError('plain string')).toEqual({ name: 'Error', message: 'plain string' })
    expect(describeError({ statusCode: 503, message: 'unavailable', code: 42 })).toEqual({
      name: 'Error',
      message: 'unavailable',
      status: 503,
      code: '42',
    })
    class QuotaError extends Error {}
    expect(describeError(new QuotaError('over'))).toEqual({ name: 'QuotaError', message: 'over' })
  })

  it('reports the package version as $ai_lib_version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(AISCOPE_LIB_VERSION).toBe(pkg.version)
  })
})
