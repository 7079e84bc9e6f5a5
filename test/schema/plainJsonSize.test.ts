import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NOT_PLAIN, plainJsonSize } from '../../src/schema/plainJsonSize'
import { OMITTED, Sanitizer, type CopyOptions, type SizeBudget } from '../../src/schema/sanitize'
import type { EventProblem } from '../../src/schema/validation.types'

const CONTENT: CopyOptions = { redactBase64: true, exactBytes: true, maxStringSize: 1_000_000, keepEnds: true }
const OTHER: CopyOptions = { redactBase64: false, exactBytes: false, maxStringSize: 65_536 }

/** What the sanitizer makes of a value with room to spare: the copy, its charge and its warnings. */
function sanitize(value: unknown, options: CopyOptions): { copy: unknown; used: number; warnings: EventProblem[] } {
  const warnings: EventProblem[] = []
  const budget: SizeBudget = { limit: 100_000_000, used: 0 }
  const copy = new Sanitizer(warnings).copyProperty('value', value, budget, options)
  return { copy, used: budget.used, warnings }
}

/** Values of every kind the sanitizer handles, with base64 payloads and awkward numbers among them. */
const values = fc.anything({
  maxDepth: 4,
  key: fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'data', 'image', 'role', 'content')),
  values: [
    fc.string(),
    fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY, 0.1, 1e21, 12n, 'é😀\ud83d"\\\n', 'iVBORw0KGgo'.padEnd(120, 'A'), `data:image/png;base64,${'QUJD'.repeat(30)}`),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  ],
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
})

describe('plainJsonSize', () => {
  it.each([
    ['content', CONTENT],
    ['other properties', OTHER],
  ])('gives what the sanitizer charges exactly when the sanitizer keeps the value as it is (%s)', (_, options) => {
    fc.assert(
      fc.property(values, (value) => {
        const size = plainJsonSize(value, 100_000_000, options)
        const { copy, used, warnings } = sanitize(value, options)
        const keptAsItIs = Object.is(copy, value) && warnings.length === 0
        expect(keptAsItIs).toBe(size !== NOT_PLAIN)
        if (keptAsItIs) {
          expect(size).toBe(used)
        }
      }),
      { numRuns: 2_000 },
    )
  })

  it('counts content at most six bytes per char without reading the text, never less than exactly', () => {
    fc.assert(
      fc.property(values, (value) => {
        const exact = plainJsonSize(value, 100_000_000, CONTENT)
        const atMost = plainJsonSize(value, 100_000_000, CONTENT, 'atMost')
        expect(atMost === NOT_PLAIN).toBe(exact === NOT_PLAIN)
        expect(atMost).toBeGreaterThanOrEqual(exact)
      }),
      { numRuns: 1_000 },
    )
    expect(plainJsonSize(['ab'], 1_000, CONTENT, 'atMost')).toBe(2 + (6 * 2 + 2) + 1)
  })

  it('gives up as soon as the size passes maxSize, even on an object shared into a huge tree', () => {
    let tree: unknown = ['leaf']
    for (let level = 0; level < 40; level++) {
      tree = [tree, tree]
    }
    expect(plainJsonSize(tree, 10_000, CONTENT)).toBe(NOT_PLAIN)
    expect(plainJsonSize({ text: 'x'.repeat(100) }, 50, OTHER)).toBe(NOT_PLAIN)
    expect(plainJsonSize({ text: 'x'.repeat(100) }, 200, OTHER)).toBe(2 + 102 + 6 + 2)
  })

  it('answers NOT_PLAIN, without throwing, for getters and Proxies that throw', () => {
    const getter = {
      get broken(): string {
        throw new Error('getter')
      },
    }
    const proxy = new Proxy(
      {},
      {
        getPrototypeOf() {
          throw new Error('trap')
        },
      },
    )
    expect(plainJsonSize([getter], 1_000, CONTENT)).toBe(NOT_PLAIN)
    expect(plainJsonSize({ proxy }, 1_000, OTHER)).toBe(NOT_PLAIN)
  })
})

describe('Sanitizer copy on write', () => {
  const png = `data:image/png;base64,${'iVBORw0KGgo'.padEnd(400, 'A')}`

  it('copies only the objects on the way to a change and shares the rest with the input', () => {
    const conversation = [
      { role: 'system', content: 'You are helpful.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, { type: 'image_url', image_url: { url: png } }] },
      { role: 'assistant', content: 'A blank image.' },
    ]
    const before = structuredClone(conversation)
    const { copy, warnings } = sanitize(conversation, CONTENT)
    const kept = copy as typeof conversation
    const keptParts = kept[1]?.content as Array<Record<string, unknown>>
    const inputParts = conversation[1]?.content as Array<Record<string, unknown>>

    expect(conversation).toEqual(before)
    expect(kept).not.toBe(conversation)
    expect(kept[0]).toBe(conversation[0])
    expect(kept[2]).toBe(conversation[2])
    expect(kept[1]).not.toBe(conversation[1])
    expect(keptParts[0]).toBe(inputParts[0])
    expect(keptParts[1]).toEqual({ type: 'image_url', image_url: { url: '[image/png base64, 300 B]' } })
    expect(warnings.map((warning) => warning.field)).toEqual(['value[1].content[1].image_url.url'])
  })

  it('returns the input itself when nothing in it needs a change', () => {
    const tools = [{ type: 'function', function: { name: 'search', parameters: { type: 'object', required: ['query'] } } }]
    expect(sanitize(tools, CONTENT).copy).toBe(tools)
    expect(sanitize(tools, OTHER).copy).toBe(tools)
  })

  it('always copies objects that are not plain, so that what is stored is', () => {
    const nullPrototype = Object.assign(Object.create(null) as Record<string, unknown>, { kept: true })
    class Subclass extends Array<number> {}
    const subclassed = Subclass.from([1, 2])
    const { copy } = sanitize({ nullPrototype, subclassed }, OTHER)
    const kept = copy as Record<string, unknown>
    expect(Object.getPrototypeOf(kept.nullPrototype)).toBe(Object.prototype)
    expect(kept.nullPrototype).toEqual({ kept: true })
    expect(Object.getPrototypeOf(kept.subclassed)).toBe(Array.prototype)
    expect(kept.subclassed).toEqual([1, 2])
    expect(sanitize(undefined, OTHER).copy).toBe(OMITTED)
  })
})
