import { isJsonObject, parseJson, type JsonObject } from './json'
import type { AttributeMap } from './otlpValues'

/**
 * A chat message in the shape `@posthog/ai` sends in `$ai_input` / `$ai_output_choices`:
 * `content` is a string when the message is one piece of text, else a list of typed parts
 * (`{type:'text', text}`, `{type:'function', id, function:{name, arguments}}`, ...).
 */
export type PosthogMessage = Record<string, unknown> & { role: string; content: unknown }

type ContentPart = Record<string, unknown> & { type: string }

function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** Tool-call arguments as OpenAI and PostHog carry them: a JSON string. */
function argumentsString(value: unknown): string {
  if (typeof value === 'string') {
    return value
  }
  return value === undefined ? '{}' : JSON.stringify(value)
}

function textOf(value: unknown): string {
  if (typeof value === 'string') {
    return value
  }
  return value === undefined || value === null ? '' : JSON.stringify(value)
}

function functionPart(id: unknown, name: unknown, args: unknown): ContentPart {
  return {
    type: 'function',
    id: textOf(id),
    function: { name: textOf(name), arguments: argumentsString(args) },
  }
}

/**
 * Builds a message: one text part becomes a plain string `content` (as the SDK sends simple
 * messages), several parts or any tool call stay a list, none gives `null`.
 */
function composeMessage(role: string, parts: ContentPart[], extras: Record<string, unknown> = {}): PosthogMessage {
  let content: unknown
  const only = parts[0]
  if (parts.length === 1 && only?.type === 'text' && typeof only.text === 'string') {
    content = only.text
  } else {
    content = parts.length === 0 ? null : parts
  }
  return { role, content, ...extras }
}

/**
 * Parses a structured attribute that may arrive as a JSON string (OTel records
 * `gen_ai.input.messages` and friends as strings on spans). A string that is not JSON is
 * returned unchanged.
 */
export function parseMaybeJson(value: unknown): unknown {
  if (typeof value !== 'string') {
    return value
  }
  const trimmed = value.trimStart()
  if (!trimmed.startsWith('[') && !trimmed.startsWith('{')) {
    return value
  }
  const parsed = parseJson(value)
  return parsed.ok ? parsed.value : value
}

/**
 * One message of OTel GenAI's `gen_ai.input.messages` / `gen_ai.output.messages`
 * (`{role, parts: [...], name?, finish_reason?}`) in PostHog's shape. Part types:
 * `text` → `{type:'text', text}`, `reasoning` → `{type:'reasoning', text}`, `tool_call` →
 * `{type:'function', id, function:{name, arguments}}`, `tool_call_response` → a separate
 * `{role:'tool', tool_call_id, content}` message; other parts (`blob`, `uri`, `file`,
 * server tool calls) are kept as they are. `finish_reason` is left out (it becomes
 * `$ai_stop_reason`). A message without `parts` is kept unchanged.
 */
function fromOtelMessage(message: unknown): PosthogMessage[] {
  if (!isJsonObject(message) || !Array.isArray(message.parts)) {
    return isJsonObject(message) ? [message as PosthogMessage] : []
  }
  const role = asString(message.role) ?? 'user'
  const parts: ContentPart[] = []
  const toolResponses: PosthogMessage[] = []
  for (const part of message.parts) {
    if (!isJsonObject(part)) {
      continue
    }
    switch (part.type) {
      case 'text':
        parts.push({ type: 'text', text: textOf(part.content) })
        break
      case 'reasoning':
        parts.push({ type: 'reasoning', text: textOf(part.content) })
        break
      case 'tool_call':
        parts.push(functionPart(part.id, part.name, part.arguments))
        break
      case 'tool_call_response':
        toolResponses.push({ role: 'tool', content: textOf(part.response), tool_call_id: textOf(part.id) })
        break
      default:
        parts.push({ ...part, type: textOf(part.type) })
    }
  }
  const extras: Record<string, unknown> = {}
  if (typeof message.name === 'string') {
    extras.name = message.name
  }
  const messages: PosthogMessage[] = []
  if (parts.length > 0 || toolResponses.length === 0) {
    messages.push(composeMessage(role, parts, extras))
  }
  messages.push(...toolResponses)
  return messages
}

/** The result of reading a message list: the messages and the first finish reason seen. */
export interface MessageList {
  messages: unknown
  finishReason?: string
}

/**
 * `gen_ai.input.messages` / `gen_ai.output.messages` (a JSON string or an array) in
 * PostHog's shape. A string that does not parse is kept as it is, as PostHog's OTel
 * ingestion does.
 */
export function messagesFromOtel(value: unknown): MessageList {
  const parsed = parseMaybeJson(value)
  if (!Array.isArray(parsed)) {
    return { messages: parsed }
  }
  const first = parsed[0]
  const finishReason = isJsonObject(first) ? asString(first.finish_reason) : undefined
  return { messages: parsed.flatMap(fromOtelMessage), ...(finishReason ? { finishReason } : {}) }
}

/**
 * The text of `gen_ai.system_instructions`: a string, or a JSON list of parts whose text
 * parts are joined by blank lines (Gemini's instrumentation sends the list).
 */
export function systemInstructionsText(value: unknown): string | undefined {
  const parsed = parseMaybeJson(value)
  if (typeof parsed === 'string') {
    return parsed || undefined
  }
  if (Array.isArray(parsed)) {
    const text = parsed
      .filter((part): part is JsonObject => isJsonObject(part) && part.type === 'text')
      .map((part) => textOf(part.content))
      .filter((piece) => piece.length > 0)
      .join('\n\n')
    return text || undefined
  }
  return parsed === undefined || parsed === null ? undefined : JSON.stringify(parsed)
}

/** Sets `value` at `path` in `root`, creating arrays for numeric segments and objects otherwise. */
function setPath(root: unknown[], path: readonly string[], value: unknown): void {
  let container: Record<string, unknown> | unknown[] = root
  for (let index = 0; index < path.length; index++) {
    const segment = path[index] as string
    const key: string | number = /^\d+$/.test(segment) ? Number(segment) : segment
    const last = index === path.length - 1
    const slot = (container as Record<string | number, unknown>)[key]
    if (last) {
      ;(container as Record<string | number, unknown>)[key] = value
      return
    }
    if (typeof slot === 'object' && slot !== null) {
      container = slot as Record<string, unknown>
      continue
    }
    const nextIsIndex = /^\d+$/.test(path[index + 1] as string)
    const created: Record<string, unknown> | unknown[] = nextIsIndex ? [] : {}
    ;(container as Record<string | number, unknown>)[key] = created
    container = created
  }
}

/**
 * Rebuilds a list from flattened, indexed attributes: with prefix `gen_ai.prompt.`, the keys
 * `gen_ai.prompt.0.role` and `gen_ai.prompt.0.content` become `[{role, content}]`. Every
 * dot nests (OpenInference's `0.message.tool_calls.1.tool_call.id` included); numeric
 * segments are list indices. Only keys whose first segment after the prefix is an index are
 * taken (`gen_ai.prompt.name` is not); they are added to `used`. Gaps are dropped.
 */
export function collectIndexed(attributes: AttributeMap, prefix: string, used: Set<string>): JsonObject[] {
  const items: unknown[] = []
  for (const [key, value] of attributes) {
    if (!key.startsWith(prefix)) {
      continue
    }
    const path = key.slice(prefix.length).split('.')
    if (!/^\d+$/.test(path[0] as string) || path.length < 2) {
      continue
    }
    used.add(key)
    setPath(items, path, value)
  }
  return items.filter(isJsonObject)
}

function toolCallsOf(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isJsonObject) : []
}

/**
 * Messages from the indexed attributes of older instrumentations (OpenLLMetry/Traceloop,
 * OTel semconv before v1.28): `gen_ai.prompt.N.{role,content,tool_call_id}`,
 * `gen_ai.completion.N.{role,content,finish_reason}`, and their `tool_calls.M.{id,name,arguments}`.
 */
export function messagesFromIndexedGenAi(
  attributes: AttributeMap,
  prefix: 'gen_ai.prompt.' | 'gen_ai.completion.',
  used: Set<string>,
): MessageList | undefined {
  const entries = collectIndexed(attributes, prefix, used)
  if (entries.length === 0) {
    return undefined
  }
  const defaultRole = prefix === 'gen_ai.prompt.' ? 'user' : 'assistant'
  const messages = entries.map((entry) => {
    const parts: ContentPart[] = []
    const text = entry.content
    if (text !== undefined && text !== null && text !== '') {
      parts.push({ type: 'text', text: textOf(text) })
    }
    for (const call of toolCallsOf(entry.tool_calls)) {
      parts.push(functionPart(call.id, call.name, call.arguments))
    }
    const extras: Record<string, unknown> = {}
    if (entry.tool_call_id !== undefined) {
      extras.tool_call_id = textOf(entry.tool_call_id)
    }
    return composeMessage(asString(entry.role) ?? defaultRole, parts, extras)
  })
  const finishReason = asString(entries[0]?.finish_reason)
  return { messages, ...(finishReason ? { finishReason } : {}) }
}

/**
 * Messages from OpenInference's indexed attributes, `llm.input_messages.N.message.*` or
 * `llm.output_messages.N.message.*`: `role`, `content`, `contents.M.message_content.{type,
 * text, image.image.url}`, `tool_calls.M.tool_call.{id, function.name, function.arguments}`,
 * `tool_call_id`, `name`.
 */
export function messagesFromOpenInference(
  attributes: AttributeMap,
  prefix: 'llm.input_messages.' | 'llm.output_messages.',
  used: Set<string>,
): MessageList | undefined {
  const entries = collectIndexed(attributes, prefix, used)
  if (entries.length === 0) {
    return undefined
  }
  const defaultRole = prefix === 'llm.input_messages.' ? 'user' : 'assistant'
  const messages = entries.map((entry) => {
    const message = isJsonObject(entry.message) ? entry.message : entry
    const parts: ContentPart[] = []
    if (message.content !== undefined && message.content !== null && message.content !== '') {
      parts.push({ type: 'text', text: textOf(message.content) })
    }
    for (const item of toolCallsOf(message.contents)) {
      const content = isJsonObject(item.message_content) ? item.message_content : item
      if (content.type === 'image') {
        const image = isJsonObject(content.image) && isJsonObject(content.image.image) ? content.image.image.url : undefined
        parts.push({ type: 'image', image: textOf(image) })
      } else {
        parts.push({ type: 'text', text: textOf(content.text) })
      }
    }
    for (const item of toolCallsOf(message.tool_calls)) {
      const call = isJsonObject(item.tool_call) ? item.tool_call : item
      const fn = isJsonObject(call.function) ? call.function : {}
      parts.push(functionPart(call.id, fn.name, fn.arguments))
    }
    const extras: Record<string, unknown> = {}
    if (message.tool_call_id !== undefined) {
      extras.tool_call_id = textOf(message.tool_call_id)
    }
    if (typeof message.name === 'string') {
      extras.name = message.name
    }
    return composeMessage(asString(message.role) ?? defaultRole, parts, extras)
  })
  return { messages }
}

/** Prepends a system message unless the list already starts with one (as PostHog's ingestion does). */
export function withSystemMessage(messages: unknown, system: string): unknown {
  const systemMessage: PosthogMessage = { role: 'system', content: system }
  if (messages === undefined) {
    return [systemMessage]
  }
  if (!Array.isArray(messages)) {
    return messages
  }
  const first: unknown = messages[0]
  if (isJsonObject(first) && first.role === 'system') {
    return messages
  }
  return [systemMessage, ...messages]
}
