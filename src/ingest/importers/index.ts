/**
 * Importers: read PostHog exports and OTLP/JSON traces as raw PostHog-shaped events, in
 * chunks, streaming. See README.md in this folder for the formats and the attribute mapping.
 */
export { readImport, formatImportProblem, MAX_LISTED_PROBLEMS } from './readImport'
export { MAX_KEPT_ATTRIBUTES } from './otlp'
export {
  IMPORT_FORMATS,
  type ImportChunk,
  type ImportFormat,
  type ImportOptions,
  type ImportProblem,
  type ImportSource,
  type ImportSummary,
} from './importers.types'
