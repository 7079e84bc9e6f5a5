import { PRICE_TABLE } from './priceTable'
import type { PriceTableEntry } from './pricing.types'

/**
 * Model matching: from the `$ai_model` an SDK recorded to one price-table entry, or to
 * nothing. It never guesses. There is no substring or "closest name" search: `gpt-4`
 * does not match `gpt-4o`, `gpt-4o` and `gpt-4o-mini` are different models, `o3` is not
 * `o3-mini` nor `o3-pro`. An id that no rule below turns into a listed id matches nothing,
 * and the event stays unpriced (a host can add an override).
 *
 * The rules, in order:
 * 1. Case and surrounding blanks are ignored.
 * 2. Wrappers are removed: a Bedrock ARN (`arn:aws:bedrock:…/<id>`), a Vertex resource path
 *    (`projects/…/locations/…/publishers/google/models/<id>`, `publishers/…/models/<id>`),
 *    the Gemini API's `models/` prefix, and known route prefixes (`openai/`, `anthropic/`,
 *    `google/`, `gemini/`, `vertex_ai/`, `azure/`, `bedrock/`, `mistral/`, `mistralai/`,
 *    `deepseek/`, `xai/`, `x-ai/`, `openrouter/`), repeatedly. Any other `vendor/` prefix is
 *    kept, so the id does not match.
 * 3. A Bedrock Anthropic id (`anthropic.<id>`, optionally after a region prefix such as
 *    `us.`, `eu.`, `apac.`, `global.`) is reduced to `<id>`.
 * 4. The id is looked up exactly among canonical ids and explicit aliases.
 * 5. Otherwise one snapshot suffix at a time is removed and the lookup repeated: `@YYYYMMDD`
 *    (Vertex), `-vN` / `-vN:N` (Bedrock), `-YYYY-MM-DD`, `-YYYYMMDD`, `-latest`,
 *    `-preview-MM-DD` / `-preview-MM-YYYY` (Gemini). Exact ids win over this rule, so a
 *    snapshot priced differently from its family is listed as its own entry
 *    (`gpt-4o-2024-05-13`).
 * 6. Snapshots known to be priced differently but not in the table (the Gemini 2.5 Flash
 *    04-17 and 05-20 previews) never match.
 *
 * Azure deployment names are the host's own; only `azure/<model id>` and deployments named
 * exactly like a model id match. Bedrock, Vertex and Azure are priced at the model
 * maker's list price (regional endpoints may cost more).
 */

/** How {@link matchModel} found the entry. */
export type ModelMatchRule = 'canonical-id' | 'alias' | 'snapshot-suffix'

/** A model id matched to a price-table entry. */
export interface ModelMatch {
  /** The matched entry. */
  readonly entry: PriceTableEntry
  /** The entry's canonical id (same as `entry.modelId`). */
  readonly modelId: string
  /** Which rule matched. */
  readonly rule: ModelMatchRule
  /** The id after lowercasing and removing wrappers (rules 1 to 3), before suffix removal. */
  readonly normalizedModel: string
}

/** Route prefixes that name who served or routed a call, removed before lookup. */
const ROUTE_PREFIXES: readonly string[] = [
  'openrouter/',
  'openai/',
  'azure/',
  'anthropic/',
  'bedrock/',
  'google/',
  'googleai/',
  'gemini/',
  'vertex_ai/',
  'vertex/',
  'mistral/',
  'mistralai/',
  'deepseek/',
  'xai/',
  'x-ai/',
  'models/',
]

const BEDROCK_ARN = /^arn:aws:bedrock:[^/]*\/(.+)$/
const VERTEX_PUBLISHER_PATH = /^(?:projects\/[^/]+\/locations\/[^/]+\/)?publishers\/[^/]+\/models\/(.+)$/
const BEDROCK_ANTHROPIC = /^(?:(?:us|eu|apac|global|us-gov|jp|au|ca)\.)?anthropic\.(.+)$/

/** Snapshot suffixes, each removed on its own; see rule 5. */
const SNAPSHOT_SUFFIXES: readonly RegExp[] = [
  /@\d{8}$/,
  /-v\d+(?::\d+)?$/,
  /-\d{4}-\d{2}-\d{2}$/,
  /-\d{8}$/,
  /-latest$/,
  /-preview-\d{2}-(?:\d{2}|\d{4})$/,
]

/** Ids that look like a listed model's snapshot but were priced differently; see rule 6. */
const DIFFERENTLY_PRICED_SNAPSHOTS: ReadonlySet<string> = new Set([
  'gemini-2.5-flash-preview-04-17',
  'gemini-2.5-flash-preview-05-20',
])

/** Most suffixes an id can lose (`claude-3-5-haiku-20241022-v1:0` loses two). */
const MAX_SUFFIX_REMOVALS = 3

interface TableIndex {
  readonly byId: ReadonlyMap<string, { readonly entry: PriceTableEntry; readonly rule: 'canonical-id' | 'alias' }>
}

const indexCache = new WeakMap<readonly PriceTableEntry[], TableIndex>()

/** Lookup map of a table; ids are lowercased. A Map, so ids like `constructor` find nothing. */
function indexOf(table: readonly PriceTableEntry[]): TableIndex {
  const cached = indexCache.get(table)
  if (cached !== undefined) {
    return cached
  }
  const byId = new Map<string, { entry: PriceTableEntry; rule: 'canonical-id' | 'alias' }>()
  for (const entry of table) {
    // First entry wins, so a host table that lists an id twice stays deterministic.
    const id = entry.modelId.toLowerCase()
    if (!byId.has(id)) {
      byId.set(id, { entry, rule: 'canonical-id' })
    }
    for (const alias of entry.aliases) {
      const aliasId = alias.toLowerCase()
      if (!byId.has(aliasId)) {
        byId.set(aliasId, { entry, rule: 'alias' })
      }
    }
  }
  const index: TableIndex = { byId }
  indexCache.set(table, index)
  return index
}

/**
 * Lowercases a model id and removes the wrappers of rules 1 to 3 (route prefixes, Vertex
 * paths, Bedrock ARNs and `anthropic.` ids). Snapshot suffixes are kept.
 *
 * @example normalizeModelId('us.anthropic.claude-sonnet-4-20250514-v1:0') // 'claude-sonnet-4-20250514-v1:0'
 */
export function normalizeModelId(model: string): string {
  let id = model.trim().toLowerCase()
  const arn = BEDROCK_ARN.exec(id)
  if (arn?.[1] !== undefined) {
    id = arn[1].slice(arn[1].lastIndexOf('/') + 1)
  }
  const vertexPath = VERTEX_PUBLISHER_PATH.exec(id)
  if (vertexPath?.[1] !== undefined) {
    id = vertexPath[1]
  }
  let strippedPrefix = true
  while (strippedPrefix) {
    strippedPrefix = false
    for (const prefix of ROUTE_PREFIXES) {
      if (id.startsWith(prefix) && id.length > prefix.length) {
        id = id.slice(prefix.length)
        strippedPrefix = true
      }
    }
  }
  const bedrock = BEDROCK_ANTHROPIC.exec(id)
  if (bedrock?.[1] !== undefined) {
    id = bedrock[1]
  }
  return id
}

/**
 * Finds the price-table entry of a model id by the rules above, or `null` when there is
 * none. Never throws: a non-string or blank id gives `null`.
 *
 * @param model The `$ai_model` as recorded.
 * @param table The table to search.
 * @default table PRICE_TABLE
 */
export function matchModel(model: unknown, table: readonly PriceTableEntry[] = PRICE_TABLE): ModelMatch | null {
  if (typeof model !== 'string') {
    return null
  }
  // Pricing a million stored events asks about a few dozen model ids: remember the answers.
  let matches = matchCache.get(table)
  if (matches === undefined) {
    matches = new Map()
    matchCache.set(table, matches)
  }
  const remembered = matches.get(model)
  if (remembered !== undefined) {
    return remembered
  }
  const match = findModel(model, table)
  if (matches.size < MAX_CACHED_MODEL_IDS) {
    matches.set(model, match)
  }
  return match
}

/** Matches remembered per table, by the model id as recorded. */
const matchCache = new WeakMap<readonly PriceTableEntry[], Map<string, ModelMatch | null>>()
/** Bound on remembered ids, so a stream of unique junk ids cannot grow the cache for ever. */
const MAX_CACHED_MODEL_IDS = 10_000

function findModel(model: string, table: readonly PriceTableEntry[]): ModelMatch | null {
  const normalizedModel = normalizeModelId(model)
  if (normalizedModel.length === 0) {
    return null
  }
  const { byId } = indexOf(table)
  let candidate = normalizedModel
  for (let removals = 0; removals <= MAX_SUFFIX_REMOVALS; removals += 1) {
    if (DIFFERENTLY_PRICED_SNAPSHOTS.has(candidate)) {
      return null
    }
    const hit = byId.get(candidate)
    if (hit !== undefined) {
      return {
        entry: hit.entry,
        modelId: hit.entry.modelId,
        rule: removals === 0 ? hit.rule : 'snapshot-suffix',
        normalizedModel,
      }
    }
    const shorter = removeSnapshotSuffix(candidate)
    if (shorter === undefined) {
      return null
    }
    candidate = shorter
  }
  return null
}

/** The id without its first matching snapshot suffix, or `undefined` when it has none. */
function removeSnapshotSuffix(id: string): string | undefined {
  for (const suffix of SNAPSHOT_SUFFIXES) {
    const shorter = id.replace(suffix, '')
    if (shorter !== id && shorter.length > 0) {
      return shorter
    }
  }
  return undefined
}
