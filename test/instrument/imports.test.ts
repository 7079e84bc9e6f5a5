import { readdirSync, readFileSync } from 'node:fs'
import { afterEach, describe, expect, it, vi } from 'vitest'

const sourceDir = new URL('../../src/instrument/', import.meta.url)
const sourceFiles = readdirSync(sourceDir).filter((name) => name.endsWith('.ts'))

/** Every module specifier a file imports or re-exports, with whether it is type-only. */
function importsOf(source: string): { specifier: string; typeOnly: boolean }[] {
  const pattern = /^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm
  return [...source.matchAll(pattern)].map((match) => ({ specifier: match[3] ?? '', typeOnly: match[2] !== undefined }))
}

const browserGlobals = ['window', 'document', 'indexedDB', 'Worker', 'location', 'navigator'] as const

afterEach(() => {
  for (const name of browserGlobals) {
    Reflect.deleteProperty(globalThis, name)
  }
  vi.resetModules()
})

describe('src/instrument', () => {
  it.each(sourceFiles)('%s imports only its own modules, ../schema and ../ingest/captureTarget (no SDK)', (file) => {
    const imports = importsOf(readFileSync(new URL(file, sourceDir), 'utf8'))
    for (const { specifier } of imports) {
      expect(specifier).toMatch(/^(\.\/[\w.]+|\.\.\/schema\/[\w.]+|\.\.\/ingest\/captureTarget)$/)
    }
  })

  it('loads without touching a browser global', async () => {
    const uses: string[] = []
    for (const name of browserGlobals) {
      const tripwire = new Proxy(function browserGlobal() {}, {
        get(_target, key) {
          uses.push(`${name}.${String(key)}`)
          return undefined
        },
      })
      Object.defineProperty(globalThis, name, { configurable: true, writable: true, value: tripwire })
    }
    const entry = await import('../../src/instrument/index')
    expect(Object.keys(entry).sort()).toEqual([
      'AISCOPE_CALL',
      'generationIdOf',
      'observeAnthropic',
      'observeFetch',
      'observeOpenAI',
      'startTrace',
      'trackInteraction',
      'withAiscope',
    ])
    expect(uses).toEqual([])
  })
})
