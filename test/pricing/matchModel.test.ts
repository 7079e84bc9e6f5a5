import { describe, expect, it } from 'vitest'
import { matchModel, normalizeModelId, PRICE_TABLE, type PriceTableEntry } from '../../src/pricing'

/** `$ai_model` as SDKs, gateways and clouds record it → the canonical id it must price as. */
const MATCHES: readonly (readonly [model: string, modelId: string])[] = [
  // exact canonical ids and letter case
  ['gpt-4o', 'gpt-4o'],
  ['gpt-4o-mini', 'gpt-4o-mini'],
  ['GPT-4o-Mini', 'gpt-4o-mini'],
  ['  o3  ', 'o3'],
  ['o3-mini', 'o3-mini'],
  ['o4-mini', 'o4-mini'],
  ['gpt-4.1', 'gpt-4.1'],
  ['gpt-5', 'gpt-5'],
  ['Claude-Sonnet-4-5', 'claude-sonnet-4-5'],
  // dated snapshots
  ['gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
  ['gpt-4o-2024-08-06', 'gpt-4o'],
  ['gpt-4o-2024-05-13', 'gpt-4o-2024-05-13'],
  ['gpt-4.1-mini-2025-04-14', 'gpt-4.1-mini'],
  ['gpt-5-nano-2025-08-07', 'gpt-5-nano'],
  ['o3-mini-2025-01-31', 'o3-mini'],
  ['o3-2025-04-16', 'o3'],
  ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'],
  ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
  ['claude-haiku-4-5-20251001', 'claude-haiku-4-5'],
  ['claude-opus-4-1-20250805', 'claude-opus-4-1'],
  ['claude-3-7-sonnet-latest', 'claude-3-7-sonnet'],
  ['gemini-2.5-pro-preview-06-05', 'gemini-2.5-pro'],
  ['gemini-2.5-flash-preview-09-2025', 'gemini-2.5-flash'],
  ['gemini-2.5-flash-lite-preview-06-17', 'gemini-2.5-flash-lite'],
  ['grok-3-latest', 'grok-3'],
  ['mistral-small-latest', 'mistral-small-2506'],
  // explicit aliases
  ['claude-opus-4-0', 'claude-opus-4'],
  ['claude-sonnet-4-0', 'claude-sonnet-4'],
  ['grok-4-0709', 'grok-4'],
  ['gemini-2.0-flash-001', 'gemini-2.0-flash'],
  ['codestral', 'codestral-2508'],
  ['gpt-5-chat-latest', 'gpt-5'],
  // provider prefixes
  ['openai/gpt-4o-mini', 'gpt-4o-mini'],
  ['anthropic/claude-sonnet-4-5', 'claude-sonnet-4-5'],
  ['google/gemini-2.5-pro', 'gemini-2.5-pro'],
  ['models/gemini-2.5-flash', 'gemini-2.5-flash'],
  ['gemini/gemini-2.5-flash-lite', 'gemini-2.5-flash-lite'],
  ['vertex_ai/gemini-2.5-pro', 'gemini-2.5-pro'],
  ['deepseek/deepseek-chat', 'deepseek-chat'],
  ['x-ai/grok-3-mini', 'grok-3-mini'],
  ['mistralai/codestral-2501', 'codestral-2508'],
  ['openrouter/anthropic/claude-opus-4-5', 'claude-opus-4-5'],
  ['azure/gpt-4.1-nano', 'gpt-4.1-nano'],
  // Bedrock
  ['anthropic.claude-3-5-haiku-20241022-v1:0', 'claude-3-5-haiku'],
  ['us.anthropic.claude-sonnet-4-20250514-v1:0', 'claude-sonnet-4'],
  ['eu.anthropic.claude-3-7-sonnet-20250219-v1:0', 'claude-3-7-sonnet'],
  ['global.anthropic.claude-sonnet-4-5-20250929-v1:0', 'claude-sonnet-4-5'],
  ['bedrock/anthropic.claude-haiku-4-5-20251001-v1:0', 'claude-haiku-4-5'],
  ['arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-1-20250805-v1:0', 'claude-opus-4-1'],
  // Vertex
  ['claude-sonnet-4@20250514', 'claude-sonnet-4'],
  ['claude-3-5-haiku@20241022', 'claude-3-5-haiku'],
  ['claude-haiku-4-5@20251001', 'claude-haiku-4-5'],
  ['publishers/google/models/gemini-2.5-pro', 'gemini-2.5-pro'],
  ['projects/acme/locations/us-central1/publishers/google/models/gemini-2.5-flash', 'gemini-2.5-flash'],
  ['publishers/anthropic/models/claude-opus-4-5@20251101', 'claude-opus-4-5'],
]

/** Ids that must match nothing: near misses, differently priced relatives, and junk. */
const NEAR_MISSES: readonly unknown[] = [
  'gpt-4', // a real model ($30 / $60), not gpt-4o
  'gpt-4o-2', // "-2" is no snapshot suffix
  'gpt-4o-mini-tts',
  'gpt-4o-realtime-preview',
  'chatgpt-4o-latest', // priced apart from gpt-4o
  'gpt-4o-mini-2024-07-18-extra',
  'ft:gpt-4o-mini-2024-07-18:acme::abc123', // fine-tunes cost more
  'gpt-4.1-preview',
  'gpt-5-pro',
  'gpt-5.4',
  'o3-pro',
  'o3-deep-research',
  'o1-mini',
  'o1-preview',
  'text-embedding-ada-002',
  'claude-3',
  'claude-sonnet',
  'claude-3-5-sonnet-20241022',
  'claude-sonnet-4-5-foo',
  'claude-2.1',
  'gemini-pro',
  'gemini-2.5',
  'gemini-2.0-flash-lite', // cheaper than gemini-2.0-flash
  'gemini-2.5-flash-image',
  'gemini-2.5-flash-preview-04-17', // preview priced differently from 2.5 Flash GA
  'gemini-3-pro',
  'grok-3-fast', // $5 / $25
  'grok-4-fast-reasoning',
  'deepseek-v4-flash',
  'mistral-large-2402',
  'acme-llm-1',
  'acme/gpt-4o', // unknown route prefix: not stripped
  'my-prod-gpt4o-deployment',
  '',
  '   ',
  'constructor',
  '__proto__',
  'toString',
  undefined,
  null,
  42,
  { model: 'gpt-4o' },
]

describe('matchModel', () => {
  it.each(MATCHES)('matches %s to %s', (model, modelId) => {
    expect(matchModel(model)?.modelId).toBe(modelId)
  })

  it.each(NEAR_MISSES.map((model) => [model]))('matches nothing for %j', (model) => {
    expect(matchModel(model)).toBeNull()
  })

  it('says which rule matched', () => {
    expect(matchModel('gpt-4o')?.rule).toBe('canonical-id')
    expect(matchModel('grok-4-0709')?.rule).toBe('alias')
    expect(matchModel('gpt-4o-2024-08-06')?.rule).toBe('snapshot-suffix')
    expect(matchModel('gpt-4o-2024-05-13')?.rule).toBe('canonical-id')
  })

  it('keeps gpt-4o, gpt-4o-mini and their snapshots apart', () => {
    expect(matchModel('gpt-4o')?.modelId).not.toBe(matchModel('gpt-4o-mini')?.modelId)
    expect(matchModel('gpt-4o-2024-11-20')?.modelId).toBe('gpt-4o')
    expect(matchModel('gpt-4o-mini-2024-07-18')?.modelId).toBe('gpt-4o-mini')
    expect(matchModel('o3')?.modelId).toBe('o3')
    expect(matchModel('o3-mini')?.modelId).toBe('o3-mini')
  })

  it('searches a host table instead of the bundled one', () => {
    const hostTable: readonly PriceTableEntry[] = [
      {
        modelId: 'acme-llm-1',
        provider: 'openai',
        kind: 'chat',
        aliases: ['acme-llm'],
        usdPerMillionTokens: { input: 1, output: 2 },
        reasoningBilling: 'in-output',
        sourceUrl: 'https://llm.internal.acme-corp.example/pricing',
        checkedOn: '2026-11-27',
        verified: false,
        evidence: 'host table',
      },
    ]
    expect(matchModel('acme-llm-1', hostTable)?.modelId).toBe('acme-llm-1')
    expect(matchModel('ACME-LLM', hostTable)?.rule).toBe('alias')
    expect(matchModel('gpt-4o', hostTable)).toBeNull()
  })

  it('resolves every canonical id and alias of the bundled table to its own entry', () => {
    for (const entry of PRICE_TABLE) {
      expect(matchModel(entry.modelId)?.entry).toBe(entry)
      for (const alias of entry.aliases) {
        expect(matchModel(alias)?.entry, alias).toBe(entry)
      }
    }
  })
})

describe('normalizeModelId', () => {
  it('removes wrappers but keeps snapshot suffixes', () => {
    expect(normalizeModelId('US.Anthropic.claude-sonnet-4-20250514-v1:0')).toBe('claude-sonnet-4-20250514-v1:0')
    expect(normalizeModelId('openrouter/openai/gpt-4o-mini')).toBe('gpt-4o-mini')
    expect(normalizeModelId('projects/p/locations/europe-west4/publishers/google/models/gemini-2.5-pro')).toBe(
      'gemini-2.5-pro',
    )
    expect(normalizeModelId('acme/gpt-4o')).toBe('acme/gpt-4o')
  })
})
