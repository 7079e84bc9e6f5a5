import type { CaptureInput } from '../captureTarget'
import { CsvParser, type CsvRecord } from './csv'
import type { ImportSink, TextParser } from './importers.types'
import { isJsonObject, normalizeTimestamp, parseJson } from './json'
import { DEFAULT_MAX_RECORD_CHARS } from './lines'

/**
 * Properties holding message content or free-form state: flattened cells under them stay
 * strings, so a message whose content is "42" or "True" is not turned into a number or a boolean.
 */
const CONTENT_PROPERTIES = new Set(['$ai_input', '$ai_output_choices', '$ai_output', '$ai_input_state', '$ai_output_state'])

/**
 * Properties that are objects or arrays: a single cell holding JSON text for one of them
 * (what a HogQL `select properties.$ai_input` exports) is parsed.
 */
const STRUCTURED_PROPERTIES = new Set([
  ...CONTENT_PROPERTIES,
  '$ai_model_parameters',
  '$ai_tools',
  '$ai_usage',
  '$ai_provider_metadata',
  '$groups',
  '$set',
  '$set_once',
])

/** Properties that are strings even when they look like numbers or booleans. */
const STRING_PROPERTIES = new Set([
  '$ai_model',
  '$ai_provider',
  '$ai_span_name',
  '$ai_trace_name',
  '$ai_error',
  '$ai_stop_reason',
  '$ai_prompt_name',
  '$ai_base_url',
  '$ai_service_tier',
  '$ai_lib_version',
  '$ai_framework_version',
  '$lib_version',
  '$groups',
])

const NUMBER_TEXT = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/

/** A property column: its property key and, for flattened nested values, the path below it. */
interface PropertyColumn {
  index: number
  key: string
  path: string[]
}

/** Which columns of the header carry what. */
interface ColumnPlan {
  event: number
  uuid: number | undefined
  distinctId: number | undefined
  timestamp: number | undefined
  propertiesJson: number | undefined
  properties: PropertyColumn[]
}

function planColumns(header: readonly string[]): ColumnPlan | undefined {
  const find = (...names: string[]): number | undefined => {
    for (const name of names) {
      const index = header.indexOf(name)
      if (index !== -1) {
        return index
      }
    }
    return undefined
  }
  const event = find('*.event', 'event')
  if (event === undefined) {
    return undefined
  }
  const prefix = header.some((name) => name.startsWith('*.properties.')) ? '*.properties.' : 'properties.'
  const properties: PropertyColumn[] = []
  header.forEach((name, index) => {
    if (!name.startsWith(prefix) || name.length === prefix.length) {
      return
    }
    const rest = name.slice(prefix.length)
    // PostHog's own keys ($-prefixed) never contain dots, so the dots after them are nesting
    // added by the export. Other keys may contain dots themselves (`gen_ai.system`): kept whole.
    const dot = rest.startsWith('$') ? rest.indexOf('.') : -1
    if (dot === -1) {
      properties.push({ index, key: rest, path: [] })
    } else {
      properties.push({ index, key: rest.slice(0, dot), path: rest.slice(dot + 1).split('.') })
    }
  })
  return {
    event,
    uuid: find('*.uuid', 'uuid', '*.id', 'id'),
    distinctId: find('*.distinct_id', 'distinct_id'),
    timestamp: find('*.timestamp', 'timestamp'),
    propertiesJson: find('*.properties', 'properties'),
    properties,
  }
}

/**
 * The value of one property cell. CSV loses types, so they are recovered: an empty cell is
 * absent (Python's csv writer writes `None` and `""` alike); `True`/`False` (Python) and
 * `true`/`false` are booleans; decimal numbers are numbers, except for ids and the string
 * properties listed above; cells under content properties stay strings; a whole structured
 * property given as JSON text is parsed.
 */
function cellValue(key: string, path: readonly string[], cell: string): unknown {
  if (cell === '') {
    return undefined
  }
  if (path.length === 0 && STRUCTURED_PROPERTIES.has(key) && (cell.startsWith('[') || cell.startsWith('{'))) {
    const parsed = parseJson(cell)
    if (parsed.ok) {
      return parsed.value
    }
  }
  if (CONTENT_PROPERTIES.has(key) || STRING_PROPERTIES.has(key) || /id$/i.test(key)) {
    return cell
  }
  if (cell === 'True' || cell === 'true') {
    return true
  }
  if (cell === 'False' || cell === 'false') {
    return false
  }
  return NUMBER_TEXT.test(cell) ? Number(cell) : cell
}

/** Sets a flattened cell into its property, creating arrays for numeric segments. */
function setNested(properties: Record<string, unknown>, key: string, path: readonly string[], value: unknown): void {
  const firstIsIndex = /^\d+$/.test(path[0] as string)
  let container = properties[key]
  if (typeof container !== 'object' || container === null) {
    container = firstIsIndex ? [] : {}
    properties[key] = container
  }
  let current = container as Record<string, unknown>
  for (let index = 0; index < path.length; index++) {
    const segment = path[index] as string
    if (index === path.length - 1) {
      current[segment] = value
      return
    }
    let next = current[segment]
    if (typeof next !== 'object' || next === null) {
      next = /^\d+$/.test(path[index + 1] as string) ? [] : {}
      current[segment] = next
    }
    current = next as Record<string, unknown>
  }
}

/** Turns the holes that omitted (empty) cells leave in rebuilt arrays into `null`. */
function fillHoles(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      value[index] = index in value ? fillHoles(value[index]) : null
    }
  } else if (isJsonObject(value)) {
    for (const key of Object.keys(value)) {
      fillHoles(value[key])
    }
  }
  return value
}

/**
 * The `posthog-csv` parser. It reads the CSV that PostHog's events table exports
 * (`posthog/tasks/exports/csv_exporter.py`, rendered by djangorestframework-csv, which
 * flattens nested values into dotted columns):
 *
 * - an EventsQuery export (the Activity/Explore table, `select *, ...`): `*.uuid`, `*.event`,
 *   `*.properties.<key>[.<nested>...]`, `*.timestamp`, `*.distinct_id`, plus `*.team_id`,
 *   `*.elements_chain`, `*.created_at`, `*.person_mode` and the table's other columns
 *   (`event`, `person.*`, `properties.$lib`, `timestamp`, comment-labelled expressions), which
 *   are ignored when the `*.` ones exist;
 * - the older events-API export: `id, distinct_id, properties.<key>..., event, timestamp,
 *   person, elements_chain`;
 * - a HogQL export (`select uuid, event, distinct_id, timestamp, properties from events`)
 *   whose `properties` column is one JSON object per cell.
 *
 * Columns not listed here are ignored. The first row must be the header and name an `event`
 * (or `*.event`) column; rows whose field count differs from the header's are reported.
 */
export function createPosthogCsvParser(sink: ImportSink, maxRecordChars: number = DEFAULT_MAX_RECORD_CHARS): TextParser {
  let plan: ColumnPlan | undefined
  let headerWidth = 0
  let eventColumnName = 'event'
  let unusable = false

  const readRow = (record: CsvRecord, columns: ColumnPlan): void => {
    const at = `line ${record.lineNumber}`
    const { fields } = record
    const name = fields[columns.event] ?? ''
    if (name === '') {
      sink.problem(at, `no event name: the "${eventColumnName}" column is empty`)
      return
    }
    let properties: Record<string, unknown> = {}
    if (columns.propertiesJson !== undefined) {
      const cell = fields[columns.propertiesJson] ?? ''
      if (cell !== '') {
        const parsed = parseJson(cell)
        if (!parsed.ok) {
          sink.problem(at, `the properties column is not valid JSON (${parsed.message})`)
          return
        }
        if (!isJsonObject(parsed.value)) {
          sink.problem(at, 'the properties column must hold a JSON object')
          return
        }
        properties = parsed.value
      }
    }
    const nestedKeys = new Set<string>()
    for (const column of columns.properties) {
      const value = cellValue(column.key, column.path, fields[column.index] ?? '')
      if (value === undefined) {
        continue
      }
      if (column.path.length === 0) {
        properties[column.key] = value
      } else {
        setNested(properties, column.key, column.path, value)
        nestedKeys.add(column.key)
      }
    }
    for (const key of nestedKeys) {
      fillHoles(properties[key])
    }
    const event: CaptureInput = { event: name, properties }
    const uuid = columns.uuid === undefined ? '' : (fields[columns.uuid] ?? '')
    if (uuid !== '') {
      event.uuid = uuid
    }
    const distinctId = columns.distinctId === undefined ? '' : (fields[columns.distinctId] ?? '')
    if (distinctId !== '') {
      event.distinct_id = distinctId
    }
    const timestamp = columns.timestamp === undefined ? '' : (fields[columns.timestamp] ?? '')
    if (timestamp !== '') {
      event.timestamp = normalizeTimestamp(timestamp)
    }
    sink.event(event, at)
  }

  const parser = new CsvParser((record) => {
    if (unusable) {
      return
    }
    const at = `line ${record.lineNumber}`
    if (plan === undefined) {
      if (record.error !== null) {
        sink.problem(at, `the header row is malformed CSV (${record.error}); nothing was imported`)
        unusable = true
        return
      }
      plan = planColumns(record.fields)
      headerWidth = record.fields.length
      eventColumnName = plan === undefined ? 'event' : (record.fields[plan.event] ?? 'event')
      if (plan === undefined) {
        sink.problem(
          at,
          `the header has no "event" or "*.event" column (it starts ${JSON.stringify(record.fields.slice(0, 4).join(','))}): is this a PostHog events export? Nothing was imported`,
        )
        unusable = true
      }
      return
    }
    if (record.error !== null) {
      sink.problem(at, `malformed CSV: ${record.error}`)
      return
    }
    if (record.fields.length !== headerWidth) {
      sink.problem(at, `${record.fields.length} fields where the header has ${headerWidth}`)
      return
    }
    readRow(record, plan)
  }, maxRecordChars)

  return {
    push: (text) => parser.push(text),
    end: () => parser.end(),
  }
}
