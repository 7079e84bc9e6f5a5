/**
 * The interactions kernel: what users did with AI output, per model, prompt, prompt version
 * or feature, and how far it went: generation → any interaction → conversion.
 *
 * Links: an `$ai_interaction` points at a generation through `$ai_generation_id`, which the
 * columns hold in `spanId` (on a generation, its generation id; on an interaction, the id of
 * the generation it concerns). An interaction belongs to the group of its generation.
 *
 * Definitions:
 * - Generations shown: `$ai_generation` events in `spec.range` that pass every filter. Their
 *   interactions and conversions follow them, wherever those fall in time and whatever their
 *   own properties: the range and filters select generations only.
 * - `interactions[kind]`: interaction events of that kind; `generationsWith[kind]`:
 *   generations with at least one; `rates[kind]` = `generationsWith[kind]` / `generations`.
 * - Funnel: `generations` → `interacted` (at least one interaction of any kind) → `converted`
 *   (interacted, and the generation's session has a `spec.conversionEvent` event strictly
 *   after the generation). `sessionConversions` counts generations followed by a conversion
 *   in their session, interacted or not.
 * - The session a conversion is looked for in: the event's `$session_id` (the
 *   `replaySessionId` column) when it has one, else its `$ai_session_id`. Host conversion
 *   events usually carry `$session_id` only, so a generation meets them through its own
 *   `$session_id` even when it also has an `$ai_session_id`.
 * - `unlinkedInteractions`: interactions that name no stored generation (sent with a trace
 *   id only, or pointing at a generation not stored); they are in no group.
 * - When several generations share an id, interactions go to the last selected one.
 */

import { INTERACTION_EVENT, INTERACTION_KINDS, type InteractionKind } from '../schema/events'
import type { EventColumns } from '../store'
import { compareKeyValues, dimensionColumn, groupRows, scratchInt32, selectRows } from './aggregate.utils'
import type { Filter, TimeRange } from './spec'
import type { TraceQueryInput } from './traceQuery'

/** What interactions are grouped by (the generation's). */
export type InteractionsKey = 'model' | 'promptVersion' | 'feature' | 'promptName'

/**
 * Interaction rates and the conversion funnel per group of generations.
 * @example { kind: 'interactions', by: 'promptVersion', conversionEvent: 'ticket_resolved' }
 */
export interface InteractionsSpec {
  kind: 'interactions'
  /** `'promptVersion'` groups by prompt name and version together. */
  by: InteractionsKey
  range?: TimeRange
  filters?: readonly Filter[]
  /** The host event that marks a conversion; without it the funnel stops at `interacted`. */
  conversionEvent?: string
}

/** Generation → any interaction → conversion. */
export interface InteractionsFunnel {
  generations: number
  interacted: number
  /** Interacted generations whose session converts after them; `null` without a `conversionEvent`. */
  converted: number | null
}

/** Measures of one group (or of all of them). */
export interface InteractionsMeasures {
  /** `$ai_generation` events shown. */
  generations: number
  /** Interaction events, per kind. */
  interactions: Record<InteractionKind, number>
  /** Generations with at least one interaction of the kind. */
  generationsWith: Record<InteractionKind, number>
  /** `generationsWith` / `generations`; `null` when there are no generations. */
  rates: Record<InteractionKind, number | null>
  funnel: InteractionsFunnel
  /** Generations whose session converts after them, interacted or not; `null` without a `conversionEvent`. */
  sessionConversions: number | null
}

/** One group of generations. */
export interface InteractionsRow extends InteractionsMeasures {
  /** The group's model, feature, prompt name or prompt version; `null` for generations without it. */
  key: string | null
  /** With `by: 'promptVersion'`: the prompt the version belongs to. */
  promptName?: string | null
}

/** The answer to an {@link InteractionsSpec}. */
export interface InteractionsResult {
  kind: 'interactions'
  dataVersion: number
  by: InteractionsKey
  conversionEvent: string | null
  /** Groups by generations shown (descending), then key (absent first, then code-unit order). */
  rows: InteractionsRow[]
  totals: InteractionsMeasures
  /** Interactions that name no stored generation. */
  unlinkedInteractions: number
}

/** What the interactions kernel reads: the trace query's input (its columns hold each event's `$session_id`). */
export type InteractionsQueryInput = TraceQueryInput

const KEYS: ReadonlySet<string> = new Set<InteractionsKey>(['model', 'promptVersion', 'feature', 'promptName'])
const KIND_COUNT = INTERACTION_KINDS.length

/**
 * Interaction rates and the funnel per group; see {@link InteractionsSpec}. Throws a
 * `RangeError` for an unknown `by` or filter.
 */
export function runInteractionsQuery(spec: InteractionsSpec, input: InteractionsQueryInput): InteractionsResult {
  const { columns, dictionaries } = input
  if (!KEYS.has(spec.by)) {
    throw new RangeError(`Unknown spec.by "${String(spec.by)}": use 'model', 'promptVersion', 'feature' or 'promptName'.`)
  }
  const dimensions =
    spec.by === 'promptVersion'
      ? [dimensionColumn('promptName', input), dimensionColumn('promptVersion', input)]
      : [dimensionColumn(spec.by, input)]

  const fromMs = spec.range?.fromMs ?? -Infinity
  const toMs = spec.range?.toMs ?? Infinity
  const generations = selectRows(input, ['$ai_generation'], fromMs, toMs, spec.filters ?? [])
  const grouping = groupRows(generations, dimensions, columns.length)
  const groupSpace = grouping.groupSpace

  const eventCodes = columns.dimensions.event
  const nodeCodes = columns.dimensions.spanId
  const { tsMs } = columns
  const generationCode = dictionaries.event.find('$ai_generation')
  const interactionCode = dictionaries.event.find(INTERACTION_EVENT)
  const conversionCode = spec.conversionEvent === undefined ? -1 : dictionaries.event.find(spec.conversionEvent)

  // Generation position (in the selection) by node code, -1 for every other node.
  const generationOfNode = scratchInt32('interactions.generationOfNode', dictionaries.spanId.size).fill(-1)
  for (let position = 0; position < generations.length; position += 1) {
    generationOfNode[nodeCodes[generations[position] as number] as number] = position
  }
  // Session key of a row: its `$session_id` code, else replayCount + its session code (0: none).
  const replayCodes = columns.dimensions.replaySessionId
  const replayCount = dictionaries.replaySessionId.size
  const sessionCodes = columns.dimensions.sessionId
  const sessionKeyOf = (row: number) => {
    const replay = replayCodes[row] as number
    if (replay !== 0) {
      return replay
    }
    const session = sessionCodes[row] as number
    return session === 0 ? 0 : replayCount + session
  }
  const sessionKeyCount = conversionCode > 0 ? replayCount + dictionaries.sessionId.size : 0
  const lastConversionMs = new Float64Array(sessionKeyCount).fill(-Infinity)
  const interactionRows: number[] = []
  let storedGenerations = 0
  for (let row = 0; row < columns.length; row += 1) {
    const eventCode = eventCodes[row] as number
    storedGenerations += Number(eventCode === generationCode)
    if (eventCode === interactionCode) {
      interactionRows.push(row)
    } else if (eventCode === conversionCode) {
      const key = sessionKeyOf(row)
      const ts = tsMs[row] as number
      if (key !== 0 && ts > (lastConversionMs[key] as number)) {
        lastConversionMs[key] = ts
      }
    }
  }

  const kindOfCode = new Int8Array(dictionaries.interaction.size).fill(-1)
  INTERACTION_KINDS.forEach((kind, index) => {
    const code = dictionaries.interaction.find(kind)
    if (code > 0) {
      kindOfCode[code] = index
    }
  })
  const interactionCodes = columns.dimensions.interaction
  const kindMask = new Uint8Array(generations.length)
  const interactionCounts = new Int32Array(groupSpace * KIND_COUNT)
  const groupOfRow = grouping.groupOfRow
  const outsideSelection: number[] = []
  for (const row of interactionRows) {
    const position = generationOfNode[nodeCodes[row] as number] as number
    const kind = kindOfCode[interactionCodes[row] as number] as number
    if (position < 0) {
      outsideSelection.push(nodeCodes[row] as number)
      continue
    }
    if (kind < 0) {
      continue
    }
    kindMask[position] = (kindMask[position] as number) | (1 << kind)
    const cell = (groupOfRow[generations[position] as number] as number) * KIND_COUNT + kind
    interactionCounts[cell] = (interactionCounts[cell] as number) + 1
  }
  const unlinkedInteractions =
    storedGenerations > generations.length
      ? countUnlinked(outsideSelection, columns, generationCode, dictionaries.spanId.size)
      : outsideSelection.length

  const generationCounts = new Int32Array(groupSpace)
  const withCounts = new Int32Array(groupSpace * KIND_COUNT)
  const interacted = new Int32Array(groupSpace)
  const converted = new Int32Array(groupSpace)
  const sessionConversions = new Int32Array(groupSpace)
  const withConversions = conversionCode > 0
  for (let position = 0; position < generations.length; position += 1) {
    const row = generations[position] as number
    const group = groupOfRow[row] as number
    generationCounts[group] = (generationCounts[group] as number) + 1
    const mask = kindMask[position] as number
    if (mask !== 0) {
      interacted[group] = (interacted[group] as number) + 1
      for (let kind = 0; kind < KIND_COUNT; kind += 1) {
        if ((mask >> kind) & 1) {
          const cell = group * KIND_COUNT + kind
          withCounts[cell] = (withCounts[cell] as number) + 1
        }
      }
    }
    if (withConversions) {
      const key = sessionKeyOf(row)
      if (key !== 0 && (lastConversionMs[key] as number) > (tsMs[row] as number)) {
        sessionConversions[group] = (sessionConversions[group] as number) + 1
        if (mask !== 0) {
          converted[group] = (converted[group] as number) + 1
        }
      }
    }
  }

  const hasConversion = spec.conversionEvent !== undefined
  const measuresOf = (groups: readonly number[]): InteractionsMeasures => {
    const sum = (values: Int32Array, offset = 0, stride = 1) =>
      groups.reduce((total, group) => total + (values[group * stride + offset] as number), 0)
    const generationTotal = sum(generationCounts)
    const byKind = (values: Int32Array) =>
      Object.fromEntries(INTERACTION_KINDS.map((kind, index) => [kind, sum(values, index, KIND_COUNT)])) as Record<InteractionKind, number>
    const generationsWith = byKind(withCounts)
    const interactedTotal = sum(interacted)
    return {
      generations: generationTotal,
      interactions: byKind(interactionCounts),
      generationsWith,
      rates: Object.fromEntries(
        INTERACTION_KINDS.map((kind) => [kind, generationTotal === 0 ? null : generationsWith[kind] / generationTotal]),
      ) as Record<InteractionKind, number | null>,
      funnel: { generations: generationTotal, interacted: interactedTotal, converted: hasConversion ? sum(converted) : null },
      sessionConversions: hasConversion ? sum(sessionConversions) : null,
    }
  }

  const present: number[] = []
  for (let group = 0; group < groupSpace; group += 1) {
    if ((generationCounts[group] as number) > 0) {
      present.push(group)
    }
  }
  const keyOf = (group: number) => dimensions.map((dimension, index) => dimension.dictionary.decode(grouping.codeOf(group, index)))
  const keys = new Map(present.map((group) => [group, keyOf(group)]))
  present.sort((a, b) => {
    const byCount = (generationCounts[b] as number) - (generationCounts[a] as number)
    if (byCount !== 0) {
      return byCount
    }
    const keyA = keys.get(a) as (string | null)[]
    const keyB = keys.get(b) as (string | null)[]
    return compareKeyValues(keyA[0] ?? null, keyB[0] ?? null) || compareKeyValues(keyA[1] ?? null, keyB[1] ?? null)
  })
  return {
    kind: 'interactions',
    dataVersion: input.dataVersion,
    by: spec.by,
    conversionEvent: spec.conversionEvent ?? null,
    rows: present.map((group) => {
      const key = keys.get(group) as (string | null)[]
      const measures = measuresOf([group])
      return spec.by === 'promptVersion'
        ? { key: key[1] ?? null, promptName: key[0] ?? null, ...measures }
        : { key: key[0] ?? null, ...measures }
    }),
    totals: measuresOf(present),
    unlinkedInteractions,
  }
}

/**
 * How many of the interactions pointing outside the selection (their node codes) point at no
 * stored generation: a pass over the events that mostly reads a byte per event, with
 * branches that are nearly always false. Needed only when some stored generations were not
 * selected (otherwise none of them points at a stored generation).
 */
function countUnlinked(
  nodesOutsideSelection: readonly number[],
  columns: EventColumns,
  generationCode: number,
  nodeCodeCount: number,
): number {
  if (nodesOutsideSelection.length === 0) {
    return 0
  }
  const eventCodes = columns.dimensions.event
  const nodeCodes = columns.dimensions.spanId
  // 1: an interaction points here; 2: and so does a stored generation.
  const marks = new Uint8Array(nodeCodeCount)
  for (const node of nodesOutsideSelection) {
    marks[node] = 1
  }
  for (let row = 0; row < columns.length; row += 1) {
    const node = nodeCodes[row] as number
    if (marks[node] === 1 && eventCodes[row] === generationCode) {
      marks[node] = 2
    }
  }
  let unlinked = 0
  for (const node of nodesOutsideSelection) {
    unlinked += Number(marks[node] === 1)
  }
  return unlinked
}
