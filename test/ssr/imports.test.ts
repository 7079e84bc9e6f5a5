import { createElement } from 'react'
import { renderToString } from 'react-dom/server'
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest'

// TanStack's table and virtualiser feature-detect at import (`typeof window !== 'undefined'
// && 'onscrollend' in window`): guarded, so harmless where there is no window (the plain-Node
// test below shows it), but a tripwire that pretends to be `window` would count it. They load
// before the tripwires go in, so these tests check aiscope's own code.
beforeAll(async () => {
  await Promise.all([import('@tanstack/react-table'), import('@tanstack/react-virtual')])
})

/** The browser globals an import must never use, so aiscope loads during server rendering. */
const browserGlobals = ['window', 'document', 'indexedDB', 'IDBKeyRange', 'Worker', 'BroadcastChannel'] as const

/**
 * Puts a tripwire in place of each browser global: `typeof` still sees an object, as in a
 * browser, but reading a property, calling or constructing it is recorded.
 */
function installTripwires(): string[] {
  const uses: string[] = []
  for (const name of browserGlobals) {
    const tripwire = new Proxy(function browserGlobal() {}, {
      get(_target, key) {
        uses.push(`${name}.${String(key)}`)
        return undefined
      },
      has(_target, key) {
        uses.push(`'${String(key)}' in ${name}`)
        return false
      },
      apply() {
        uses.push(`${name}()`)
      },
      construct() {
        uses.push(`new ${name}()`)
        return {}
      },
    })
    Object.defineProperty(globalThis, name, { configurable: true, writable: true, value: tripwire })
  }
  return uses
}

afterEach(() => {
  for (const name of browserGlobals) {
    Reflect.deleteProperty(globalThis, name)
  }
})

const entryPoints = {
  aiscope: () => import('../../src/index'),
  'aiscope/react': () => import('../../src/react/index'),
  'aiscope/instrument': () => import('../../src/instrument/index'),
  'aiscope/pricing': () => import('../../src/pricing/index'),
  'aiscope/schema': () => import('../../src/schema/index'),
  'aiscope/testing': () => import('../../src/testing/index'),
}

describe('server rendering', () => {
  it.each(Object.entries(entryPoints))('importing %s uses no browser global', async (_name, load) => {
    vi.resetModules()
    const uses = installTripwires()
    const entry = await load()
    expect(Object.keys(entry).length).toBeGreaterThan(0)
    expect(uses).toEqual([])
  })

  it('imports every entry in plain Node, where the browser globals do not exist', async () => {
    vi.resetModules()
    for (const name of browserGlobals) {
      expect(name in globalThis).toBe(false)
    }
    const loaded = await Promise.all(Object.values(entryPoints).map((load) => load()))
    expect(loaded.every((entry) => Object.keys(entry).length > 0)).toBe(true)
  })

  it('creates a client and renders a panel to HTML without starting anything', async () => {
    vi.resetModules()
    const uses = installTripwires()
    const { createAiscope } = await import('../../src/index')
    const { AiscopeProvider, PanelFrame } = await import('../../src/react/index')

    const client = createAiscope()
    const html = renderToString(
      createElement(
        AiscopeProvider,
        { client },
        createElement(PanelFrame, { title: 'Cost by model', state: 'loading' }),
      ),
    )

    expect(html).toContain('Cost by model')
    expect(html).toContain('Loading…')
    expect(uses).toEqual([])
  })
})
