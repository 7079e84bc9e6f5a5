/**
 * `$ai_error_normalized`: an error text with its dynamic parts (ids, timestamps, numbers)
 * replaced with placeholders, so errors that differ only in those parts group together,
 * as PostHog's Errors tab groups them.
 */

/** Errors are cut to this many characters before normalising; the start carries what matters. */
export const MAX_NORMALIZED_ERROR_SOURCE_CHARS = 1000

/** Value of `$ai_error_normalized` for an error event that has no `$ai_error`, as PostHog writes it. */
export const UNKNOWN_ERROR_TEXT = 'Unknown error'

/**
 * Replacements in order, most specific first, so that a general rule (any number) never
 * eats part of a specific one (a UUID, a timestamp).
 */
const NORMALIZATION_RULES: ReadonlyArray<readonly [RegExp, string]> = [
  // UUIDs, any version.
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<ID>'],
  // Provider ids with a known prefix: req_…, chatcmpl-…, msg_…, toolu_…, call_…, resp_…, run_…, file-….
  [/\b(?:req|request|chatcmpl|msg|toolu|srvtoolu|call|resp|run|thread|asst|batch|file|org|proj|user|sess|span|trace|gen)[_-][A-Za-z0-9]{6,}\b/g, '<ID>'],
  // ISO 8601 timestamps, with or without fraction and zone.
  [/\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?/g, '<TIMESTAMP>'],
  // HTTP dates: "Fri, 27 Nov 2026 08:49:37 GMT".
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT\b/g, '<TIMESTAMP>'],
  // Cloud resource paths: projects/123/locations/us-central1/….
  [/\bprojects\/[0-9a-z-]+(?:\/[a-z]+\/[0-9a-z.@-]+)+/gi, 'projects/<PATH>'],
  // JSON id fields: "id": "abc-123", "responseId":"…", "request_id": "…".
  [/"(id|[a-z]+Id|[a-z_]+_id)":\s*"[^"\\]{1,200}"/g, '"$1": "<ID>"'],
  // id='…' / id="…" in reprs.
  [/\b((?:[a-z_]+_)?id)=(['"])[A-Za-z0-9_-]+\2/gi, "$1='<ID>'"],
  // Memory addresses and other hex literals.
  [/\b0x[0-9a-f]+\b/gi, '<ID>'],
  // Long hex strings (hashes, opaque ids).
  [/\b[0-9a-f]{16,}\b/gi, '<ID>'],
  // Long digit runs (project ids, account numbers).
  [/\d{9,}/g, '<ID>'],
  // Every other number.
  [/\d+(?:\.\d+)?/g, '<N>'],
  [/\s+/g, ' '],
]

/**
 * Replaces the dynamic parts of an error text: UUIDs and prefixed ids (`req_…`, `toolu_…`,
 * `chatcmpl-…`) become `<ID>`, timestamps `<TIMESTAMP>`, other numbers `<N>`; whitespace is
 * collapsed. The text is cut to {@link MAX_NORMALIZED_ERROR_SOURCE_CHARS} first.
 *
 * @example normalizeErrorText('429 Rate limit, retry in 20s (req_8f3a9c2b1d)') === '<N> Rate limit, retry in <N>s (<ID>)'
 */
export function normalizeErrorText(errorText: string): string {
  let normalized = errorText.length > MAX_NORMALIZED_ERROR_SOURCE_CHARS ? errorText.slice(0, MAX_NORMALIZED_ERROR_SOURCE_CHARS) : errorText
  for (const [pattern, replacement] of NORMALIZATION_RULES) {
    normalized = normalized.replace(pattern, replacement)
  }
  return normalized.trim()
}

/**
 * The text an error is grouped by: `Name: message` when the error has a message (the
 * stack and response headers of the SDK's serialised error would split one error into
 * many groups), its JSON otherwise.
 * @param error the normalised `$ai_error` object.
 * @param originalText the `$ai_error` string as it came, if it was a string.
 */
export function errorGroupingText(error: Record<string, unknown>, originalText: string | undefined): string {
  const message = error.message
  if (typeof message === 'string' && message.length > 0) {
    const name = error.name
    return typeof name === 'string' && name.length > 0 && name !== 'Error' ? `${name}: ${message}` : message
  }
  if (originalText !== undefined) {
    return originalText
  }
  try {
    return JSON.stringify(error).slice(0, MAX_NORMALIZED_ERROR_SOURCE_CHARS)
  } catch {
    return UNKNOWN_ERROR_TEXT
  }
}
