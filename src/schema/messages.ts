/**
 * Reads the message dialects AI events carry into one model ({@link ChatMessage}):
 *
 * - OpenAI chat: `{role, content: string | parts}`, `tool_calls[].function.arguments`
 *   (a JSON string), `tool` messages with `tool_call_id`, `image_url` / `input_audio` / `file` parts.
 * - OpenAI Responses: `instructions` (→ system) and input/output items: `message`,
 *   `function_call`, `function_call_output`, `reasoning`, `custom_tool_call`, `mcp_call`
 *   and built-in calls (`web_search_call`, `file_search_call`, `code_interpreter_call`, ...).
 * - PostHog's output format: `[{role: 'assistant', content: [{type: 'text'}, {type: 'function', id, function}]}]`.
 * - Anthropic: `text`, `image`, `document`, `tool_use`, `tool_result`, `thinking`,
 *   `redacted_thinking`, server tools; `system` as a string or blocks.
 * - Gemini: `contents: [{role: 'user' | 'model', parts}]` with `text`, `inlineData`,
 *   `fileData`, `functionCall`, `functionResponse`, code execution; `systemInstruction`.
 * - Vercel AI SDK: `text`, `image`, `file`, `reasoning`, `tool-call` (`args` or `input`),
 *   `tool-result` (`result` or `output`).
 * - OTel GenAI (`gen_ai.input.messages`): `{role, parts: [{type: 'text' | 'tool_call' | ...}]}`.
 * - Plain strings and lists of strings (embedding inputs).
 *
 * One input item becomes one message (consecutive items are not merged). Nothing here
 * throws: unknown shapes become `unknown` parts, unreadable values an `unknown` message.
 * Binary data never leaves as bytes: it becomes a media placeholder with its size.
 */

import {
  binaryObjectBytes,
  binaryPlaceholder,
  isBase64Text,
  mediaTypeFromHint,
  parseBinaryPlaceholder,
  readDataUrl,
  sniffBase64MediaType,
  base64DecodedBytes,
} from './binary'
import { describeError } from './describe'
import type { ChatMessage, ChatPart, ChatRole, MessageDialect, MessageHint } from './messages.types'
import { REMOVAL_MARKER_PREFIX, Sanitizer, TRUNCATION_MARKER_PREFIX } from './sanitize'

export type {
  ChatMediaPart,
  ChatMessage,
  ChatPart,
  ChatReasoningPart,
  ChatRole,
  ChatTextPart,
  ChatToolCallPart,
  ChatToolResultPart,
  ChatUnknownPart,
  MessageDialect,
  MessageHint,
} from './messages.types'

/** Deepest nesting of messages in parts in results followed; deeper values become `unknown` parts. */
const MAX_MESSAGE_NESTING = 12

/** Budget, in UTF-8 bytes, of the JSON text of one `unknown` part or one argument object. */
const MAX_PART_JSON_BYTES = 100_000

/** JSON strings longer than this are shown as text, not parsed for messages. */
const MAX_PARSED_STRING_CHARS = 5_000_000

/** Longest URL or id shown inside a media placeholder. */
const MAX_PLACEHOLDER_REFERENCE_CHARS = 120

const ROLE_BY_NAME: ReadonlyMap<string, ChatRole> = new Map([
  ['system', 'system'],
  ['developer', 'system'],
  ['user', 'user'],
  ['human', 'user'],
  ['assistant', 'assistant'],
  ['model', 'assistant'],
  ['ai', 'assistant'],
  ['bot', 'assistant'],
  ['tool', 'tool'],
  ['function', 'tool'],
  ['ipython', 'tool'],
])

/** Part types of the dialects above, used to tell a list of parts from a list of messages. */
const PART_TYPES: ReadonlySet<string> = new Set([
  'text',
  'input_text',
  'output_text',
  'refusal',
  'image',
  'image_url',
  'input_image',
  'input_audio',
  'input_file',
  'audio',
  'file',
  'document',
  'thinking',
  'redacted_thinking',
  'reasoning',
  'redacted-reasoning',
  'tool_use',
  'server_tool_use',
  'tool_result',
  'tool-call',
  'tool-result',
  'function',
  'tool_call',
  'tool_call_response',
  'blob',
  'uri',
])

/** Keys of Gemini parts, which carry no `type`. */
const GEMINI_PART_KEYS = ['text', 'inlineData', 'inline_data', 'fileData', 'file_data', 'functionCall', 'function_call', 'functionResponse', 'function_response', 'executableCode', 'executable_code', 'codeExecutionResult', 'code_execution_result'] as const

type UnknownRecord = Record<string, unknown>

function isRecord(value: unknown): value is UnknownRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/** An id as a string: strings as they are, numbers as digits; anything else is no id. */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value.length > 0 ? value : undefined
  }
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined
}

function isMarker(text: string): boolean {
  return text.startsWith(TRUNCATION_MARKER_PREFIX) || text.startsWith(REMOVAL_MARKER_PREFIX)
}

/** Compact JSON of any value: cycles, depth, getters, BigInt and base64 handled; cut at 100 kB. */
export function safeJson(value: unknown): string {
  if (value === undefined) {
    return 'null'
  }
  try {
    const copy = new Sanitizer([]).copyProperty('value', value, { limit: MAX_PART_JSON_BYTES, used: 0 }, { redactBase64: true, exactBytes: true, maxStringSize: MAX_PART_JSON_BYTES })
    return JSON.stringify(copy) ?? 'null'
  } catch (error) {
    return JSON.stringify(`${REMOVAL_MARKER_PREFIX}: reading it threw ${describeError(error)}]`)
  }
}

function textPart(text: string): ChatPart {
  return { type: 'text', text }
}

function unknownPart(value: unknown): ChatPart {
  return { type: 'unknown', json: safeJson(value) }
}

function unreadableMessage(error: unknown): ChatMessage {
  return { role: 'unknown', parts: [{ type: 'unknown', json: JSON.stringify(`${REMOVAL_MARKER_PREFIX}: reading it threw ${describeError(error)}]`) }] }
}

function shortReference(reference: string): string {
  return reference.length > MAX_PLACEHOLDER_REFERENCE_CHARS ? `${reference.slice(0, MAX_PLACEHOLDER_REFERENCE_CHARS - 1)}…` : reference
}

/** Media type from a file name or URL path, for the common image, audio and document types. */
function mediaTypeFromExtension(reference: string): string | undefined {
  const match = /\.([a-z0-9]{2,5})(?:[?#]|$)/i.exec(reference)
  if (!match) {
    return undefined
  }
  const extensions: Record<string, string> = {
    png: 'image/png',
    jpg: 'image/jpeg',
    jpeg: 'image/jpeg',
    gif: 'image/gif',
    webp: 'image/webp',
    svg: 'image/svg+xml',
    pdf: 'application/pdf',
    mp3: 'audio/mpeg',
    wav: 'audio/wav',
    ogg: 'audio/ogg',
    mp4: 'video/mp4',
    txt: 'text/plain',
    csv: 'text/csv',
    json: 'application/json',
  }
  return extensions[(match[1] ?? '').toLowerCase()]
}

function fallbackMediaType(kind: string): string {
  return kind === 'file' ? 'application/octet-stream' : `${kind}/*`
}

/**
 * A media part for data in any of its forms: a base64 string, a data URL, a URL, a file id,
 * a placeholder written earlier, binary bytes or nothing.
 * @param declared media type the dialect states next to the data, if any.
 * @param kind `image`, `audio`, `video` or `file`: the fallback when no type is known.
 */
function mediaPart(data: unknown, declared: string | undefined, kind: string): ChatPart {
  const declaredType = declared ? mediaTypeFromHint(declared, kind) : undefined
  if (typeof data === 'string') {
    const placeholder = parseBinaryPlaceholder(data)
    if (placeholder) {
      return { type: 'media', mediaType: placeholder.mediaType, placeholder: data, byteSize: placeholder.byteSize }
    }
    const dataUrl = readDataUrl(data)
    if (dataUrl) {
      return { type: 'media', mediaType: dataUrl.mediaType, placeholder: binaryPlaceholder(dataUrl.mediaType, dataUrl.byteSize, 'base64'), byteSize: dataUrl.byteSize }
    }
    if (data.startsWith('[') && data.endsWith(']') && data.length < 200) {
      // A placeholder another tool wrote, e.g. PostHog's "[base64 image redacted]".
      return { type: 'media', mediaType: declaredType ?? fallbackMediaType(kind), placeholder: data }
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(data)) {
      const mediaType = declaredType ?? mediaTypeFromExtension(data) ?? fallbackMediaType(kind)
      return { type: 'media', mediaType, placeholder: `[${mediaType}: ${shortReference(data)}]` }
    }
    if (data.length >= 16 && isBase64Text(data)) {
      const mediaType = declaredType ?? sniffBase64MediaType(data)
      const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0
      const byteSize = base64DecodedBytes(data.length, padding)
      return { type: 'media', mediaType, placeholder: binaryPlaceholder(mediaType, byteSize, 'base64'), byteSize }
    }
    const mediaType = declaredType ?? fallbackMediaType(kind)
    return { type: 'media', mediaType, placeholder: data.length > 0 ? `[${mediaType} ${shortReference(data)}]` : `[${mediaType}]` }
  }
  const mediaType = declaredType ?? fallbackMediaType(kind)
  if (typeof data === 'object' && data !== null) {
    const byteSize = binaryObjectBytes(data)
    if (byteSize !== undefined) {
      return { type: 'media', mediaType, placeholder: binaryPlaceholder(mediaType, byteSize, 'bytes'), byteSize }
    }
    if (typeof URL !== 'undefined' && data instanceof URL) {
      return mediaPart(data.href, declared, kind)
    }
  }
  return { type: 'media', mediaType, placeholder: `[${mediaType}]` }
}

function declaredTypeOf(record: UnknownRecord): string | undefined {
  return nonEmptyString(record.media_type) ?? nonEmptyString(record.mediaType) ?? nonEmptyString(record.mimeType) ?? nonEmptyString(record.mime_type)
}

/** `arguments` as JSON text: strings kept raw (the model's own text), objects serialised. */
function argumentsJsonOf(args: unknown): string {
  if (typeof args === 'string') {
    return args
  }
  if (args === undefined || args === null) {
    return '{}'
  }
  return safeJson(args)
}

function toolCallPart(id: unknown, name: unknown, args: unknown): ChatPart {
  const callId = idOf(id)
  return {
    type: 'tool-call',
    ...(callId === undefined ? {} : { id: callId }),
    name: typeof name === 'string' ? name : '',
    argumentsJson: argumentsJsonOf(args),
  }
}

/**
 * A tool-result part, followed by media parts for images or documents inside the result
 * (Anthropic `tool_result` blocks, Vercel `content` outputs).
 */
function toolResultParts(toolCallId: unknown, name: unknown, output: unknown, isError: boolean, depth: number): ChatPart[] {
  const media: ChatPart[] = []
  const reading = resultText(output, media, depth)
  const callId = idOf(toolCallId)
  const toolName = nonEmptyString(name)
  const part: ChatPart = {
    type: 'tool-result',
    ...(callId === undefined ? {} : { toolCallId: callId }),
    ...(toolName === undefined ? {} : { name: toolName }),
    text: reading.text,
    ...(isError || reading.isError ? { isError: true } : {}),
  }
  return [part, ...media]
}

/** Text of a tool's output in any dialect; media found inside are pushed to `media`. */
function resultText(output: unknown, media: ChatPart[], depth: number): { text: string; isError: boolean } {
  if (typeof output === 'string') {
    return { text: output, isError: false }
  }
  if (output === undefined || output === null) {
    return { text: '', isError: false }
  }
  if (typeof output !== 'object') {
    return { text: String(output), isError: false }
  }
  if (Array.isArray(output)) {
    const texts: string[] = []
    for (const block of output) {
      if (typeof block === 'string') {
        texts.push(block)
        continue
      }
      if (isRecord(block) && block.type === 'media') {
        media.push(mediaPart(block.data, declaredTypeOf(block), 'file'))
        continue
      }
      for (const part of partsOfBlock(block, depth + 1)) {
        if (part.type === 'text') {
          texts.push(part.text)
        } else if (part.type === 'media') {
          media.push(part)
        } else {
          texts.push(part.type === 'unknown' ? part.json : safeJson(block))
        }
      }
    }
    return { text: texts.join('\n'), isError: false }
  }
  const record = output as UnknownRecord
  // Vercel AI SDK 5 tool outputs: {type: 'text' | 'json' | 'error-text' | 'error-json' | 'content' | 'execution-denied', value}.
  const outputType = record.type
  if (typeof outputType === 'string' && 'value' in record) {
    const isError = outputType.startsWith('error')
    if (outputType === 'text' || outputType === 'error-text') {
      return { text: typeof record.value === 'string' ? record.value : safeJson(record.value), isError }
    }
    if (outputType === 'content' && Array.isArray(record.value)) {
      return resultText(record.value, media, depth)
    }
    return { text: safeJson(record.value), isError }
  }
  if (outputType === 'execution-denied') {
    return { text: nonEmptyString(record.reason) ?? 'execution denied', isError: true }
  }
  return { text: safeJson(record), isError: false }
}

/** Parts of an Anthropic `source` (images and documents). */
function partsOfAnthropicSource(source: unknown, kind: string, depth: number): ChatPart[] {
  if (!isRecord(source)) {
    return [mediaPart(undefined, undefined, kind)]
  }
  const declared = declaredTypeOf(source)
  switch (source.type) {
    case 'base64':
      return [mediaPart(source.data, declared, kind)]
    case 'url':
      return [mediaPart(source.url, declared, kind)]
    case 'file':
      return [mediaPart(idOf(source.file_id), declared ?? (kind === 'image' ? 'image/*' : undefined), kind)]
    case 'text':
      return typeof source.data === 'string' ? [textPart(source.data)] : [unknownPart(source)]
    case 'content':
      return partsOfContent(source.content, depth + 1)
    default:
      return [mediaPart(source.data ?? source.url, declared, kind)]
  }
}

/** Parts of an OpenAI Responses `reasoning` item (or part): summary and reasoning texts, or a redacted marker. */
function reasoningParts(record: UnknownRecord): ChatPart[] {
  const parts: ChatPart[] = []
  for (const list of [record.summary, record.content]) {
    if (!Array.isArray(list)) {
      continue
    }
    for (const entry of list) {
      if (typeof entry === 'string') {
        parts.push({ type: 'reasoning', text: entry })
      } else if (isRecord(entry) && typeof entry.text === 'string') {
        parts.push({ type: 'reasoning', text: entry.text })
      }
    }
  }
  if (parts.length === 0) {
    const text = nonEmptyString(record.text) ?? nonEmptyString(record.reasoning)
    if (text !== undefined) {
      parts.push({ type: 'reasoning', text })
    } else {
      parts.push({ type: 'reasoning', text: '', redacted: true })
    }
  }
  return parts
}

/** The fields of a built-in tool call other than its bookkeeping, as its arguments. */
function builtInArguments(record: UnknownRecord): unknown {
  const rest: UnknownRecord = {}
  for (const key of Object.keys(record)) {
    if (key !== 'type' && key !== 'id' && key !== 'call_id' && key !== 'status' && key !== 'result' && key !== 'output') {
      rest[key] = record[key]
    }
  }
  return rest
}

/**
 * Parts of OpenAI Responses items that are not messages (`function_call`, `reasoning`,
 * built-in calls...), with the role they speak in; `undefined` for other records.
 */
function responsesItem(record: UnknownRecord, depth: number): { role: ChatRole; parts: ChatPart[] } | undefined {
  const type = record.type
  if (typeof type !== 'string') {
    return undefined
  }
  switch (type) {
    case 'function_call':
    case 'custom_tool_call':
      return { role: 'assistant', parts: [toolCallPart(record.call_id ?? record.id, record.name, type === 'custom_tool_call' ? record.input : record.arguments)] }
    case 'function_call_output':
    case 'custom_tool_call_output':
      return { role: 'tool', parts: toolResultParts(record.call_id ?? record.id, undefined, record.output, false, depth) }
    case 'reasoning':
      if (record.summary !== undefined || record.encrypted_content !== undefined || Array.isArray(record.content)) {
        return { role: 'assistant', parts: reasoningParts(record) }
      }
      return undefined
    case 'mcp_call': {
      const parts = [toolCallPart(record.id, record.name, record.arguments)]
      if (record.output !== undefined || record.error !== undefined) {
        const failed = record.error !== undefined && record.error !== null
        parts.push(...toolResultParts(record.id, record.name, failed ? record.error : record.output, failed, depth))
      }
      return { role: 'assistant', parts }
    }
    case 'image_generation_call': {
      const parts = [toolCallPart(record.id, 'image_generation', builtInArguments(record))]
      if (typeof record.result === 'string') {
        parts.push(mediaPart(record.result, typeof record.output_format === 'string' ? `image/${record.output_format}` : undefined, 'image'))
      }
      return { role: 'assistant', parts }
    }
    case 'item_reference':
      return { role: 'unknown', parts: [unknownPart(record)] }
    default:
      break
  }
  if (type.endsWith('_call_output')) {
    return { role: 'tool', parts: toolResultParts(record.call_id ?? record.id, type.slice(0, -'_call_output'.length), record.output, false, depth) }
  }
  if (type.endsWith('_call')) {
    return { role: 'assistant', parts: [toolCallPart(record.call_id ?? record.id, type.slice(0, -'_call'.length), builtInArguments(record))] }
  }
  return undefined
}

/** Parts of one content block in any dialect. */
function partsOfBlock(block: unknown, depth: number): ChatPart[] {
  if (typeof block === 'string') {
    return block.length > 0 ? [textPart(block)] : []
  }
  if (block === undefined || block === null) {
    return []
  }
  if (typeof block !== 'object') {
    return typeof block === 'function' || typeof block === 'symbol' ? [unknownPart(String(block))] : [textPart(String(block))]
  }
  if (depth > MAX_MESSAGE_NESTING) {
    return [unknownPart(block)]
  }
  if (Array.isArray(block)) {
    return partsOfList(block, depth + 1)
  }
  const record = block as UnknownRecord
  if (isRecord(record.message_content)) {
    // OpenInference: {message_content: {type, text, image: {image: {url}}}}.
    return partsOfBlock(record.message_content, depth + 1)
  }
  const type = record.type
  if (typeof type === 'string') {
    return partsOfTypedBlock(record, type, depth)
  }
  return partsOfGeminiPart(record, depth)
}

function partsOfTypedBlock(record: UnknownRecord, type: string, depth: number): ChatPart[] {
  switch (type) {
    case 'text':
    case 'input_text':
    case 'output_text': {
      const text = typeof record.text === 'string' ? record.text : record.content
      return typeof text === 'string' ? [textPart(text)] : [unknownPart(record)]
    }
    case 'refusal':
      return typeof record.refusal === 'string' ? [textPart(record.refusal)] : [unknownPart(record)]
    case 'summary_text':
    case 'reasoning_text':
      return typeof record.text === 'string' ? [{ type: 'reasoning', text: record.text }] : [unknownPart(record)]
    case 'reasoning': {
      const text = typeof record.text === 'string' ? record.text : typeof record.content === 'string' ? record.content : record.reasoning
      return typeof text === 'string' ? [{ type: 'reasoning', text }] : reasoningParts(record)
    }
    case 'thinking':
      return typeof record.thinking === 'string' ? [{ type: 'reasoning', text: record.thinking }] : [{ type: 'reasoning', text: '', redacted: true }]
    case 'redacted_thinking':
    case 'redacted-reasoning':
      return [{ type: 'reasoning', text: '', redacted: true }]
    case 'image_url': {
      const imageUrl = record.image_url
      return [mediaPart(isRecord(imageUrl) ? imageUrl.url : imageUrl, undefined, 'image')]
    }
    case 'input_image':
      return [mediaPart(record.image_url ?? idOf(record.file_id), undefined, 'image')]
    case 'image': {
      if (record.source !== undefined) {
        return partsOfAnthropicSource(record.source, 'image', depth)
      }
      const image = record.image
      if (isRecord(image) && !(binaryObjectBytes(image) !== undefined)) {
        // OpenInference: {image: {image: {url}}} or {image: {url}}.
        const nested = isRecord(image.image) ? image.image.url : image.url
        return [mediaPart(nested, declaredTypeOf(record), 'image')]
      }
      return [mediaPart(image ?? record.data ?? record.url, declaredTypeOf(record), 'image')]
    }
    case 'document':
      return partsOfAnthropicSource(record.source, 'file', depth)
    case 'file': {
      const file = record.file
      if (isRecord(file)) {
        // OpenAI chat: {type: 'file', file: {file_data, file_id, filename}}.
        return [mediaPart(file.file_data ?? idOf(file.file_id) ?? file.filename, declaredTypeOf(file) ?? (typeof file.filename === 'string' ? mediaTypeFromExtension(file.filename) : undefined), 'file')]
      }
      const declared = declaredTypeOf(record) ?? (typeof record.filename === 'string' ? mediaTypeFromExtension(record.filename) : undefined)
      return [mediaPart(record.data ?? record.url ?? idOf(record.file_id) ?? record.filename, declared, 'file')]
    }
    case 'input_file': {
      const declared = typeof record.filename === 'string' ? mediaTypeFromExtension(record.filename) : undefined
      return [mediaPart(record.file_data ?? record.file_url ?? idOf(record.file_id) ?? record.filename, declared, 'file')]
    }
    case 'input_audio': {
      const audio = isRecord(record.input_audio) ? record.input_audio : record
      return [mediaPart(audio.data, typeof audio.format === 'string' ? audio.format : undefined, 'audio')]
    }
    case 'audio': {
      const audio = isRecord(record.audio) ? record.audio : record
      const parts: ChatPart[] = [mediaPart(audio.data ?? audio.id, declaredTypeOf(audio) ?? (typeof audio.format === 'string' ? audio.format : undefined), 'audio')]
      if (typeof audio.transcript === 'string' && audio.transcript.length > 0) {
        parts.push(textPart(audio.transcript))
      }
      return parts
    }
    case 'blob':
      return [mediaPart(record.content ?? record.data, declaredTypeOf(record), typeof record.modality === 'string' ? record.modality : 'file')]
    case 'uri':
      return [mediaPart(record.uri, declaredTypeOf(record), typeof record.modality === 'string' ? record.modality : 'file')]
    case 'function': {
      const fn = isRecord(record.function) ? record.function : {}
      return [toolCallPart(record.id, fn.name, fn.arguments)]
    }
    case 'tool_use':
    case 'server_tool_use':
    case 'mcp_tool_use':
      return [toolCallPart(record.id, record.name, record.input)]
    case 'tool_call':
    case 'server_tool_call':
      return [toolCallPart(record.id, record.name, record.arguments ?? record.server_tool_call)]
    case 'tool-call':
      return [toolCallPart(record.toolCallId, record.toolName, record.input ?? record.args)]
    case 'tool_result':
    case 'mcp_tool_result':
      return toolResultParts(record.tool_use_id, undefined, record.content, record.is_error === true, depth)
    case 'tool-result':
      return toolResultParts(record.toolCallId, record.toolName, record.output ?? record.result, record.isError === true, depth)
    case 'tool_call_response':
    case 'server_tool_call_response':
      return toolResultParts(record.id, undefined, record.response ?? record.result ?? record.server_tool_call_response, false, depth)
    default:
      break
  }
  if (type.endsWith('_tool_result')) {
    // Anthropic server tools: web_search_tool_result, code_execution_tool_result, ...
    const content = record.content
    const failed = isRecord(content) && typeof content.type === 'string' && content.type.endsWith('_error')
    return toolResultParts(record.tool_use_id, type.slice(0, -'_tool_result'.length), content, failed, depth)
  }
  const item = responsesItem(record, depth)
  return item ? item.parts : [unknownPart(record)]
}

function firstRecord(record: UnknownRecord, keys: readonly string[]): UnknownRecord | undefined {
  for (const key of keys) {
    const value = record[key]
    if (isRecord(value)) {
      return value
    }
  }
  return undefined
}

/** Parts of a Gemini part, which has no `type` but one telling key. */
function partsOfGeminiPart(record: UnknownRecord, depth: number): ChatPart[] {
  if (typeof record.text === 'string') {
    return [record.thought === true ? { type: 'reasoning', text: record.text } : textPart(record.text)]
  }
  const inline = firstRecord(record, ['inlineData', 'inline_data'])
  if (inline) {
    return [mediaPart(inline.data, declaredTypeOf(inline), 'file')]
  }
  const file = firstRecord(record, ['fileData', 'file_data'])
  if (file) {
    return [mediaPart(file.fileUri ?? file.file_uri, declaredTypeOf(file), 'file')]
  }
  const call = firstRecord(record, ['functionCall', 'function_call'])
  if (call) {
    return [toolCallPart(call.id, call.name, call.args ?? call.arguments)]
  }
  const response = firstRecord(record, ['functionResponse', 'function_response'])
  if (response) {
    return toolResultParts(response.id, response.name, response.response, false, depth)
  }
  const code = firstRecord(record, ['executableCode', 'executable_code'])
  if (code) {
    return [toolCallPart(undefined, 'code_execution', code)]
  }
  const codeResult = firstRecord(record, ['codeExecutionResult', 'code_execution_result'])
  if (codeResult) {
    const outcome = codeResult.outcome
    const failed = typeof outcome === 'string' && outcome !== 'OUTCOME_OK' && outcome !== 'outcome_ok'
    return toolResultParts(undefined, 'code_execution', codeResult.output, failed, depth)
  }
  return [unknownPart(record)]
}

function partsOfList(blocks: readonly unknown[], depth: number): ChatPart[] {
  const parts: ChatPart[] = []
  for (const block of blocks) {
    try {
      parts.push(...partsOfBlock(block, depth))
    } catch (error) {
      parts.push({ type: 'unknown', json: JSON.stringify(`${REMOVAL_MARKER_PREFIX}: reading it threw ${describeError(error)}]`) })
    }
  }
  return parts
}

/** Parts of a message's `content`: a string, a list of parts, one part, or nothing. */
function partsOfContent(content: unknown, depth: number): ChatPart[] {
  if (typeof content === 'string') {
    return content.length > 0 ? [textPart(content)] : []
  }
  if (Array.isArray(content)) {
    return partsOfList(content, depth + 1)
  }
  return partsOfBlock(content, depth + 1)
}

/** Whether a record is a part (rather than a message or an item). */
function isPartLike(value: unknown): boolean {
  if (!isRecord(value) || 'role' in value) {
    return false
  }
  const type = value.type
  if (typeof type === 'string') {
    // A Responses `reasoning` item (summary, encrypted content) is an item, not a part.
    return PART_TYPES.has(type) && !(type === 'reasoning' && ('summary' in value || 'encrypted_content' in value))
  }
  return GEMINI_PART_KEYS.some((key) => key in value) || isRecord(value.message_content)
}

function roleOf(value: unknown, fallback: ChatRole): ChatRole {
  if (typeof value !== 'string') {
    return fallback
  }
  return ROLE_BY_NAME.get(value.toLowerCase()) ?? 'unknown'
}

/** LangChain message types used in place of roles: `{type: 'human', content}`. */
const LANGCHAIN_TYPES: ReadonlySet<string> = new Set(['human', 'ai', 'system', 'tool', 'function', 'developer'])

function hasToolResultParts(content: unknown): boolean {
  return Array.isArray(content) && content.some((part) => isRecord(part) && (part.type === 'tool-result' || part.type === 'tool_result'))
}

/** A message with a role (or a LangChain `type`) as a record. */
function messagesOfRecord(record: UnknownRecord, defaultRole: ChatRole, depth: number): ChatMessage[] {
  const rawRole = record.role
  const langchainType = typeof record.type === 'string' && LANGCHAIN_TYPES.has(record.type) ? record.type : undefined
  let role = roleOf(rawRole ?? langchainType, rawRole === undefined && record.type === 'message' ? 'assistant' : defaultRole)
  const parts: ChatPart[] = []
  for (const key of ['reasoning_content', 'reasoning'] as const) {
    const reasoning = record[key]
    if (typeof reasoning === 'string' && reasoning.length > 0) {
      parts.push({ type: 'reasoning', text: reasoning })
    }
  }
  const content = record.content
  const answersToolCall = role === 'tool' && !hasToolResultParts(content) && (record.tool_call_id !== undefined || typeof content === 'string' || Array.isArray(content))
  if (answersToolCall) {
    // OpenAI tool (and legacy function) messages: the content is the result.
    parts.push(...toolResultParts(record.tool_call_id, record.name, content, false, depth))
  } else {
    parts.push(...partsOfContent(content, depth))
  }
  if (Array.isArray(record.parts)) {
    parts.push(...partsOfList(record.parts, depth + 1))
  }
  if (Array.isArray(record.contents)) {
    parts.push(...partsOfList(record.contents, depth + 1))
  }
  if (typeof record.refusal === 'string' && record.refusal.length > 0) {
    parts.push(textPart(record.refusal))
  }
  if (isRecord(record.audio)) {
    parts.push(...partsOfTypedBlock(record.audio, 'audio', depth))
  }
  if (Array.isArray(record.tool_calls)) {
    for (const call of record.tool_calls) {
      if (!isRecord(call)) {
        parts.push(unknownPart(call))
        continue
      }
      const inner = isRecord(call.tool_call) ? call.tool_call : call
      const fn = isRecord(inner.function) ? inner.function : inner
      parts.push(toolCallPart(inner.id, fn.name, fn.arguments ?? fn.args))
    }
  }
  if (isRecord(record.function_call)) {
    parts.push(toolCallPart(undefined, record.function_call.name, record.function_call.arguments))
  }
  if (role === 'user' && parts.length > 0 && parts.every((part) => part.type === 'tool-result' || part.type === 'media') && parts.some((part) => part.type === 'tool-result')) {
    role = 'tool'
  }
  const name = nonEmptyString(record.name)
  return [name === undefined ? { role, parts } : { role, parts, name }]
}

/** A system message from a `system` / `instructions` / `systemInstruction` value. */
function systemMessages(value: unknown, depth: number): ChatMessage[] {
  if (value === undefined || value === null || value === '') {
    return []
  }
  if (typeof value === 'string') {
    return [{ role: 'system', parts: [textPart(value)] }]
  }
  if (isRecord(value) && Array.isArray(value.parts)) {
    return [{ role: 'system', parts: partsOfList(value.parts, depth + 1) }]
  }
  return [{ role: 'system', parts: partsOfContent(value, depth) }]
}

function messagesOfString(text: string, defaultRole: ChatRole, depth: number): ChatMessage[] {
  if (text.length === 0) {
    return []
  }
  if (isMarker(text)) {
    return [{ role: 'unknown', parts: [textPart(text)] }]
  }
  const first = text.trimStart()[0]
  if (depth === 0 && (first === '[' || first === '{') && text.length <= MAX_PARSED_STRING_CHARS) {
    try {
      const parsed: unknown = JSON.parse(text)
      const dialect = detectMessageDialect(parsed)
      if (dialect !== 'unknown' && dialect !== 'text' && dialect !== 'empty') {
        return messagesOf(parsed, defaultRole, depth + 1)
      }
    } catch {
      // Not JSON: the string is the message.
    }
  }
  return [{ role: defaultRole, parts: [textPart(text)] }]
}

function messagesOfArray(items: readonly unknown[], defaultRole: ChatRole, depth: number): ChatMessage[] {
  if (items.length === 0) {
    return []
  }
  let partCount = 0
  let stringCount = 0
  for (const item of items) {
    if (typeof item === 'string') {
      stringCount++
    } else if (isPartLike(item)) {
      partCount++
    }
  }
  if (partCount > 0 && partCount + stringCount === items.length) {
    // A bare list of parts (Gemini `contents: Part[]`, a content array on its own): one message.
    return [{ role: defaultRole, parts: partsOfList(items, depth + 1) }]
  }
  const messages: ChatMessage[] = []
  for (const item of items) {
    try {
      if (typeof item === 'string') {
        if (item.length > 0) {
          messages.push({ role: isMarker(item) ? 'unknown' : defaultRole, parts: [textPart(item)] })
        }
      } else {
        messages.push(...messagesOf(item, defaultRole, depth + 1))
      }
    } catch (error) {
      messages.push(unreadableMessage(error))
    }
  }
  return messages
}

function messagesOfObject(record: UnknownRecord, defaultRole: ChatRole, depth: number): ChatMessage[] {
  if (record.role === undefined && record.type === undefined) {
    // Requests and responses that wrap the messages.
    if (Array.isArray(record.messages)) {
      return [...systemMessages(record.system, depth), ...messagesOfArray(record.messages, defaultRole, depth), ...(typeof record.prompt === 'string' ? [{ role: 'user' as const, parts: [textPart(record.prompt)] }] : [])]
    }
    if (record.contents !== undefined) {
      const config = isRecord(record.config) ? record.config : {}
      const system = record.systemInstruction ?? record.system_instruction ?? config.systemInstruction ?? config.system_instruction
      return [...systemMessages(system, depth), ...messagesOf(record.contents, 'user', depth + 1)]
    }
    if (record.instructions !== undefined || (record.input !== undefined && record.model !== undefined)) {
      return [...systemMessages(record.instructions, depth), ...messagesOf(record.input, 'user', depth + 1)]
    }
    if (Array.isArray(record.output)) {
      return messagesOfArray(record.output, 'assistant', depth)
    }
    if (Array.isArray(record.choices)) {
      return messagesOfArray(record.choices, 'assistant', depth)
    }
    if (Array.isArray(record.candidates)) {
      return messagesOfArray(
        record.candidates.map((candidate) => (isRecord(candidate) && candidate.content !== undefined ? candidate.content : candidate)),
        'assistant',
        depth,
      )
    }
    if (typeof record.prompt === 'string') {
      return [...systemMessages(record.system, depth), { role: 'user', parts: [textPart(record.prompt)] }]
    }
  }
  if (record.role === undefined && isRecord(record.message)) {
    // OpenAI choices and OpenInference: {message: {role, content}}.
    return messagesOf(record.message, 'assistant', depth + 1)
  }
  const item = record.role === undefined || record.type !== 'message' ? responsesItem(record, depth) : undefined
  if (item) {
    return [{ role: item.role, parts: item.parts }]
  }
  if (record.role === undefined && isPartLike(record)) {
    return [{ role: defaultRole, parts: partsOfBlock(record, depth) }]
  }
  const knownType = typeof record.type === 'string' && (record.type === 'message' || LANGCHAIN_TYPES.has(record.type))
  const looksLikeMessage = 'role' in record || 'content' in record || 'parts' in record || 'tool_calls' in record || knownType
  if (!looksLikeMessage) {
    return [{ role: 'unknown', parts: [unknownPart(record)] }]
  }
  return messagesOfRecord(record, defaultRole, depth)
}

function messagesOf(value: unknown, defaultRole: ChatRole, depth: number): ChatMessage[] {
  if (value === undefined || value === null) {
    return []
  }
  if (depth > MAX_MESSAGE_NESTING) {
    return [{ role: 'unknown', parts: [unknownPart(value)] }]
  }
  if (typeof value === 'string') {
    return messagesOfString(value, defaultRole, depth)
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return [{ role: defaultRole, parts: [textPart(String(value))] }]
  }
  if (typeof value !== 'object') {
    return [{ role: 'unknown', parts: [unknownPart(String(value))] }]
  }
  if (Array.isArray(value)) {
    return messagesOfArray(value, defaultRole, depth)
  }
  return messagesOfObject(value as UnknownRecord, defaultRole, depth)
}

/**
 * Reads messages in any of the dialects listed in this module's header into
 * {@link ChatMessage}s. Strings are one message of `hint.defaultRole` (a JSON string of
 * messages is parsed first); lists of strings are one message per string. Never throws.
 *
 * @example toChatMessages([{ role: 'user', content: 'Weather in Paris?' }])
 *   // [{ role: 'user', parts: [{ type: 'text', text: 'Weather in Paris?' }] }]
 */
export function toChatMessages(value: unknown, hint?: MessageHint): ChatMessage[] {
  try {
    return messagesOf(value, hint?.defaultRole ?? 'user', 0)
  } catch (error) {
    return [unreadableMessage(error)]
  }
}

/**
 * Names of the tools an output called, in call order (what `$ai_tools_called` lists), in
 * any dialect. Calls without a name are left out.
 */
export function toolCallNames(outputChoices: unknown): string[] {
  const names: string[] = []
  for (const message of toChatMessages(outputChoices, { defaultRole: 'assistant' })) {
    for (const part of message.parts) {
      if (part.type === 'tool-call' && part.name.length > 0) {
        names.push(part.name)
      }
    }
  }
  return names
}

// ---------------------------------------------------------------------------------------
// Dialect detection
// ---------------------------------------------------------------------------------------

/** Dialects seen, plus `role-content` for plain `{role, content: string}` messages, which fit several. */
type Evidence = Set<MessageDialect | 'role-content'>

const ANTHROPIC_PART_TYPES: ReadonlySet<string> = new Set(['tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'document', 'server_tool_use'])
const VERCEL_PART_TYPES: ReadonlySet<string> = new Set(['tool-call', 'tool-result', 'redacted-reasoning'])
const RESPONSES_PART_TYPES: ReadonlySet<string> = new Set(['input_text', 'output_text', 'input_image', 'input_file', 'summary_text'])
const OTEL_PART_TYPES: ReadonlySet<string> = new Set(['tool_call', 'tool_call_response', 'blob', 'uri', 'server_tool_call', 'server_tool_call_response'])

/** Most messages and parts looked at by {@link detectMessageDialect}. */
const MAX_INSPECTED_ENTRIES = 64

function partEvidence(part: unknown, evidence: Evidence): void {
  if (!isRecord(part)) {
    return
  }
  const type = part.type
  if (typeof type !== 'string') {
    if (GEMINI_PART_KEYS.some((key) => key !== 'text' && key in part) || part.thought === true) {
      evidence.add('gemini')
    }
    return
  }
  if (ANTHROPIC_PART_TYPES.has(type) || (type === 'image' && 'source' in part) || type.endsWith('_tool_result')) {
    evidence.add('anthropic')
  } else if (VERCEL_PART_TYPES.has(type) || (type === 'file' && 'data' in part) || (type === 'image' && ('mediaType' in part || 'mimeType' in part))) {
    evidence.add('vercel-ai')
  } else if (RESPONSES_PART_TYPES.has(type)) {
    evidence.add('openai-responses')
  } else if (type === 'function' || (type === 'image' && typeof part.image === 'string')) {
    evidence.add('posthog')
  } else if (type === 'image_url' || type === 'input_audio' || (type === 'file' && isRecord(part.file))) {
    evidence.add('openai-chat')
  } else if (OTEL_PART_TYPES.has(type)) {
    evidence.add('otel-genai')
  } else if (type === 'text' && typeof part.content === 'string' && !('text' in part)) {
    evidence.add('otel-genai')
  } else if (type === 'reasoning' && typeof part.text === 'string') {
    evidence.add('vercel-ai')
  }
}

function messageEvidence(message: unknown, evidence: Evidence): void {
  if (typeof message === 'string') {
    evidence.add('text')
    return
  }
  if (!isRecord(message)) {
    return
  }
  const type = message.type
  if (typeof type === 'string' && (type === 'message' || type === 'function_call' || type === 'function_call_output' || type === 'reasoning' || type.endsWith('_call') || type.endsWith('_call_output'))) {
    evidence.add('openai-responses')
  }
  if (message.role === 'model') {
    evidence.add('gemini')
  }
  if ('tool_calls' in message || 'tool_call_id' in message) {
    evidence.add('openai-chat')
  }
  if (Array.isArray(message.parts)) {
    const typed = message.parts.some((part) => isRecord(part) && typeof part.type === 'string')
    evidence.add(typed ? 'otel-genai' : 'gemini')
    message.parts.slice(0, MAX_INSPECTED_ENTRIES).forEach((part) => partEvidence(part, evidence))
  }
  const content = message.content
  if (Array.isArray(content)) {
    content.slice(0, MAX_INSPECTED_ENTRIES).forEach((part) => partEvidence(part, evidence))
  }
  if (typeof message.role === 'string' && (typeof content === 'string' || content === null || Array.isArray(content))) {
    evidence.add('role-content')
  }
  if (isPartLike(message)) {
    partEvidence(message, evidence)
  }
}

function collectEvidence(value: unknown, evidence: Evidence, depth: number): void {
  if (depth > 4 || value === undefined || value === null) {
    return
  }
  if (typeof value === 'string') {
    evidence.add('text')
    return
  }
  if (Array.isArray(value)) {
    value.slice(0, MAX_INSPECTED_ENTRIES).forEach((entry) => (Array.isArray(entry) ? collectEvidence(entry, evidence, depth + 1) : messageEvidence(entry, evidence)))
    return
  }
  if (!isRecord(value)) {
    return
  }
  if (value.role === undefined && value.type === undefined) {
    if (Array.isArray(value.messages)) {
      if (value.system !== undefined) {
        evidence.add('anthropic')
      }
      collectEvidence(value.messages, evidence, depth + 1)
      return
    }
    if (value.contents !== undefined || value.systemInstruction !== undefined || Array.isArray(value.candidates)) {
      evidence.add('gemini')
      return
    }
    if (value.instructions !== undefined || Array.isArray(value.output)) {
      evidence.add('openai-responses')
      return
    }
    if (Array.isArray(value.choices)) {
      evidence.add('openai-chat')
      return
    }
  }
  messageEvidence(value, evidence)
}

/** Dialects in order of precedence: the most specific evidence wins. */
const DIALECT_PRECEDENCE: readonly MessageDialect[] = ['anthropic', 'gemini', 'openai-responses', 'vercel-ai', 'otel-genai', 'posthog', 'openai-chat']

function dialectOfProvider(provider: string | undefined): MessageDialect | undefined {
  const lower = provider?.toLowerCase() ?? ''
  if (lower.includes('anthropic') || lower.includes('claude')) {
    return 'anthropic'
  }
  if (lower.includes('gemini') || lower.includes('google') || lower.includes('vertex')) {
    return 'gemini'
  }
  if (lower === 'vercel' || lower.includes('ai-sdk')) {
    return 'vercel-ai'
  }
  return undefined
}

/**
 * Names the dialect of a message value: the most specific one that shows in its shape
 * (Anthropic blocks, Gemini parts, Responses items, Vercel parts, OTel parts, PostHog
 * `function` parts, OpenAI tool calls). Plain `{role, content: string}` messages fit
 * several dialects: `hint.provider` decides, else `openai-chat`. `text` for strings,
 * `empty` for nothing, `unknown` for shapes no dialect fits. Never throws.
 */
export function detectMessageDialect(value: unknown, hint?: MessageHint): MessageDialect {
  try {
    if (value === undefined || value === null || (Array.isArray(value) && value.length === 0) || value === '') {
      return 'empty'
    }
    const evidence: Evidence = new Set()
    collectEvidence(value, evidence, 0)
    for (const dialect of DIALECT_PRECEDENCE) {
      if (evidence.has(dialect)) {
        return dialect
      }
    }
    if (evidence.has('role-content')) {
      return dialectOfProvider(hint?.provider) ?? 'openai-chat'
    }
    return evidence.has('text') ? 'text' : 'unknown'
  } catch {
    return 'unknown'
  }
}
