/**
 * Recognising binary payloads in event content (base64 blobs, data URLs, typed arrays)
 * and the placeholder strings that replace them. Shared by `validateEvent` and
 * `toChatMessages`, so a placeholder written at ingestion reads back as the same media part.
 */

/** Shortest string, in chars, that is taken for base64 when its key or part type says "binary". */
export const BASE64_MIN_CHARS_IN_BINARY_CONTEXT = 64

/** Shortest string, in chars, that is taken for base64 with no hint from its key (PostHog's SDK uses the same 64 / 1024 split). */
export const BASE64_MIN_CHARS_WITHOUT_CONTEXT = 1024

/** Keys whose string values are binary payloads when they look like base64: `source.data`, `inlineData.data`, `image`, `file_data`, `b64_json`... */
const BINARY_VALUE_KEYS = new Set(['data', 'image', 'file_data', 'fileData', 'b64_json', 'bytes', 'base64', 'blob', 'result', 'audio'])

/** Whole-string test for base64 (standard or URL-safe alphabet, optional padding, MIME line breaks allowed). */
const BASE64_PATTERN = /^[A-Za-z0-9+/_\-\r\n]+={0,2}$/

/** `data:<media type>[;params];base64,` at the start of a data URL. */
const DATA_URL_PATTERN = /^data:([a-z0-9.+-]+\/[a-z0-9.+-]+|)((?:;[^;,]*)*?);base64,/i

/** A placeholder this module wrote: `[image/png base64, 48.2 kB]` or `[image/png bytes, 1.0 MB]`. */
const PLACEHOLDER_PATTERN = /^\[([^\s\],]+) (base64|bytes), (\d+(?:\.\d+)?) (B|kB|MB|GB)\]$/

const UNIT_BYTES: Record<string, number> = { B: 1, kB: 1e3, MB: 1e6, GB: 1e9 }

/**
 * A byte count for people: `512 B`, `48.2 kB`, `3.2 MB` (decimal units, one decimal).
 * @param bytes a count of bytes; negative or non-finite values print as `0 B`.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) {
    return '0 B'
  }
  if (bytes < 1000) {
    return `${Math.round(bytes)} B`
  }
  if (bytes < 999_950) {
    return `${(bytes / 1e3).toFixed(1)} kB`
  }
  if (bytes < 999_950_000) {
    return `${(bytes / 1e6).toFixed(1)} MB`
  }
  return `${(bytes / 1e9).toFixed(1)} GB`
}

/**
 * Decoded size, in bytes, of a base64 payload of `chars` characters ending in `padding` `=` signs.
 * Line breaks are counted as data, so MIME-wrapped payloads come out a little high.
 */
export function base64DecodedBytes(chars: number, padding: number): number {
  return Math.max(0, Math.floor((chars * 3) / 4) - padding)
}

function paddingOf(text: string): number {
  if (text.endsWith('==')) {
    return 2
  }
  return text.endsWith('=') ? 1 : 0
}

/** The placeholder that stands for a binary payload: `[image/png base64, 48.2 kB]`. */
export function binaryPlaceholder(mediaType: string, byteSize: number, encoding: 'base64' | 'bytes'): string {
  return `[${mediaType} ${encoding}, ${formatBytes(byteSize)}]`
}

/** What {@link parseBinaryPlaceholder} reads back from a placeholder. */
export interface ParsedPlaceholder {
  /** The media type written in the placeholder, e.g. `image/png`. */
  mediaType: string
  /** The size written in the placeholder, in bytes; rounded, since the placeholder keeps one decimal. */
  byteSize: number
}

/** Reads a placeholder written by {@link binaryPlaceholder}; `undefined` for any other string. */
export function parseBinaryPlaceholder(text: string): ParsedPlaceholder | undefined {
  if (text.length > 80 || !text.startsWith('[')) {
    return undefined
  }
  const match = PLACEHOLDER_PATTERN.exec(text)
  if (!match) {
    return undefined
  }
  const [, mediaType = '', , amount = '0', unit = 'B'] = match
  return { mediaType, byteSize: Math.round(Number(amount) * (UNIT_BYTES[unit] ?? 1)) }
}

/** What {@link readDataUrl} finds in a base64 data URL. */
export interface DataUrlInfo {
  /** Declared media type; `application/octet-stream` when the URL names none. */
  mediaType: string
  /** Decoded payload size in bytes. */
  byteSize: number
}

/** Reads a `data:<type>;base64,<payload>` URL without decoding it; `undefined` for anything else. */
export function readDataUrl(text: string): DataUrlInfo | undefined {
  if (!text.startsWith('data:')) {
    return undefined
  }
  const match = DATA_URL_PATTERN.exec(text.length > 512 ? text.slice(0, 512) : text)
  if (!match) {
    return undefined
  }
  const payloadChars = text.length - match[0].length
  return {
    mediaType: match[1] ? match[1].toLowerCase() : 'application/octet-stream',
    byteSize: base64DecodedBytes(payloadChars, paddingOf(text)),
  }
}

/** True when the whole string is base64 (it is not checked that it decodes to anything sensible). */
export function isBase64Text(text: string): boolean {
  return text.length > 0 && BASE64_PATTERN.test(text)
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Decodes the first `maxBytes` bytes of a base64 string, for sniffing magic numbers. */
function decodeBase64Prefix(text: string, maxBytes: number): number[] {
  const bytes: number[] = []
  let buffer = 0
  let bits = 0
  for (let index = 0; index < text.length && bytes.length < maxBytes; index++) {
    let char = text[index] ?? '='
    if (char === '-') {
      char = '+'
    } else if (char === '_') {
      char = '/'
    }
    const value = BASE64_ALPHABET.indexOf(char)
    if (value < 0) {
      if (char === '=') {
        break
      }
      continue
    }
    buffer = (buffer << 6) | value
    bits += 6
    if (bits >= 8) {
      bits -= 8
      bytes.push((buffer >> bits) & 0xff)
    }
  }
  return bytes
}

function asciiAt(bytes: readonly number[], start: number, length: number): string {
  let text = ''
  for (let index = start; index < start + length; index++) {
    text += String.fromCharCode(bytes[index] ?? 0)
  }
  return text
}

/**
 * Guesses the media type of base64 data from its first bytes (PNG, JPEG, GIF, WebP, PDF,
 * WAV, MP3, Ogg, FLAC, MP4); `application/octet-stream` when nothing matches.
 */
export function sniffBase64MediaType(text: string): string {
  const bytes = decodeBase64Prefix(text, 16)
  const [b0 = -1, b1 = -1, b2 = -1, b3 = -1] = bytes
  if (b0 === 0x89 && b1 === 0x50 && b2 === 0x4e && b3 === 0x47) {
    return 'image/png'
  }
  if (b0 === 0xff && b1 === 0xd8 && b2 === 0xff) {
    return 'image/jpeg'
  }
  const head = asciiAt(bytes, 0, 4)
  if (head === 'GIF8') {
    return 'image/gif'
  }
  if (head === 'RIFF') {
    const kind = asciiAt(bytes, 8, 4)
    if (kind === 'WEBP') {
      return 'image/webp'
    }
    if (kind === 'WAVE') {
      return 'audio/wav'
    }
  }
  if (head === '%PDF') {
    return 'application/pdf'
  }
  if (head === 'OggS') {
    return 'audio/ogg'
  }
  if (head === 'fLaC') {
    return 'audio/flac'
  }
  if (asciiAt(bytes, 0, 3) === 'ID3' || (b0 === 0xff && (b1 & 0xe0) === 0xe0)) {
    return 'audio/mpeg'
  }
  if (asciiAt(bytes, 4, 4) === 'ftyp') {
    return 'video/mp4'
  }
  return 'application/octet-stream'
}

/** Maps an audio `format` field (`wav`, `mp3`) or a bare kind (`image`) to a media type. */
export function mediaTypeFromHint(hint: string, fallbackKind: string): string {
  const lower = hint.toLowerCase()
  if (lower.includes('/')) {
    return lower
  }
  if (lower === 'mp3') {
    return 'audio/mpeg'
  }
  if (lower.length > 0 && lower.length < 16) {
    return `${fallbackKind === 'image' ? 'image' : 'audio'}/${lower}`
  }
  return `${fallbackKind}/*`
}

/**
 * The media type a sibling key of a binary value declares (`media_type`, `mediaType`,
 * `mimeType`, `mime_type`, `format`), or `undefined`. Reads defensively: `parent` may be anything.
 */
export function declaredMediaType(parent: unknown): string | undefined {
  if (typeof parent !== 'object' || parent === null) {
    return undefined
  }
  try {
    const record = parent as Record<string, unknown>
    const declared = record.media_type ?? record.mediaType ?? record.mimeType ?? record.mime_type
    if (typeof declared === 'string' && declared.length > 0 && declared.length < 128) {
      return declared.toLowerCase()
    }
    const format = record.format
    if (typeof format === 'string' && format.length > 0 && format.length < 16) {
      return mediaTypeFromHint(format, 'audio')
    }
  } catch {
    return undefined
  }
  return undefined
}

/** What {@link detectBase64Payload} found. */
export interface Base64Payload {
  /** Placeholder that replaces the payload, e.g. `[image/png base64, 48.2 kB]`. */
  placeholder: string
  /** Media type, declared or sniffed. */
  mediaType: string
  /** Decoded size in bytes. */
  byteSize: number
}

/**
 * Recognises a base64 payload in a string: a base64 data URL anywhere; raw base64 of at
 * least 64 chars when `key` is a binary key (`data`, `image`, `file_data`, ...); raw
 * base64 of at least 1024 chars otherwise. `undefined` when the string is ordinary text.
 * @param key the key the string sits under, if any.
 * @param parent the object holding the string, read for a declared media type.
 */
export function detectBase64Payload(text: string, key: string | number | undefined, parent: unknown): Base64Payload | undefined {
  if (text.length < BASE64_MIN_CHARS_IN_BINARY_CONTEXT) {
    return undefined
  }
  const dataUrl = readDataUrl(text)
  if (dataUrl) {
    return { ...dataUrl, placeholder: binaryPlaceholder(dataUrl.mediaType, dataUrl.byteSize, 'base64') }
  }
  const binaryKey = typeof key === 'string' && BINARY_VALUE_KEYS.has(key)
  if (!binaryKey && text.length < BASE64_MIN_CHARS_WITHOUT_CONTEXT) {
    return undefined
  }
  if (!isBase64Text(text)) {
    return undefined
  }
  const mediaType = declaredMediaType(parent) ?? sniffBase64MediaType(text)
  const byteSize = base64DecodedBytes(text.length, paddingOf(text))
  return { placeholder: binaryPlaceholder(mediaType, byteSize, 'base64'), mediaType, byteSize }
}

/** Byte length of binary objects (`ArrayBuffer`, typed arrays, `DataView`, `Blob`); `undefined` for anything else. */
export function binaryObjectBytes(value: object): number | undefined {
  if (ArrayBuffer.isView(value)) {
    return value.byteLength
  }
  if (value instanceof ArrayBuffer) {
    return value.byteLength
  }
  if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
    return value.byteLength
  }
  if (typeof Blob !== 'undefined' && value instanceof Blob) {
    return value.size
  }
  return undefined
}
