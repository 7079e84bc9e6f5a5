/**
 * How Anthropic's Messages API maps onto `$ai_generation`, following `@posthog/ai`'s
 * Anthropic wrapper, with tool arguments as JSON strings like OpenAI's and thinking kept as
 * `reasoning` parts. Pure and structural, like `openai.utils.ts`.
 */
import type { AiContentPart, AiMessage } from '../schema/events'
import type { EndpointAdapter, ResultSummary, StreamAccumulator, TokenUsage } from './generation'
import { asArray, asNumber, asRecord, asString, type JsonRecord } from './instrument.utils'

/** Usage of a message. Anthropic's input count excludes cache reads and writes. */
export function anthropicUsage(usage: unknown): TokenUsage | undefined {
  const record = asRecord(usage)
  if (!record) {
    return undefined
  }
  return {
    inputTokens: asNumber(record.input_tokens) ?? 0,
    outputTokens: asNumber(record.output_tokens) ?? 0,
    cacheReadInputTokens: asNumber(record.cache_read_input_tokens) ?? 0,
    cacheCreationInputTokens: asNumber(record.cache_creation_input_tokens) ?? 0,
    raw: usage,
  }
}

/** `$ai_input`: the `system` prompt as a system message, then the messages as passed. */
export function anthropicInput(params: JsonRecord): unknown[] {
  const messages = asArray(params.messages) ?? []
  const system = params.system
  const hasSystem = typeof system === 'string' ? system !== '' : Array.isArray(system) && system.length > 0
  return hasSystem ? [{ role: 'system', content: system }, ...messages] : [...messages]
}

function blockPart(block: JsonRecord, streamedArguments?: string): AiContentPart | undefined {
  switch (block.type) {
    case 'text': {
      const text = asString(block.text)
      return text ? { type: 'text', text } : undefined
    }
    case 'thinking': {
      const text = asString(block.thinking)
      return text ? { type: 'reasoning', text } : undefined
    }
    case 'tool_use':
    case 'server_tool_use': {
      const id = asString(block.id) ?? ''
      const name = asString(block.name) ?? ''
      const args = streamedArguments || JSON.stringify(block.input ?? {})
      return { type: 'function', id, function: { name, arguments: args } }
    }
    default:
      return undefined
  }
}

/** `$ai_output_choices` of a message: one assistant message of its text, thinking and tool_use blocks. */
export function formatAnthropicContent(content: unknown): AiMessage[] {
  const parts: AiContentPart[] = []
  for (const block of asArray(content) ?? []) {
    const record = asRecord(block)
    const part = record ? blockPart(record) : undefined
    if (part) {
      parts.push(part)
    }
  }
  return parts.length > 0 ? [{ role: 'assistant', content: parts }] : []
}

function summarizeMessage(result: unknown): ResultSummary {
  const message = asRecord(result) ?? {}
  const usage = anthropicUsage(message.usage)
  const stopReason = asString(message.stop_reason)
  const completionId = asString(message.id)
  const model = asString(message.model)
  return {
    output: formatAnthropicContent(message.content),
    ...(usage ? { usage } : {}),
    ...(stopReason !== undefined ? { stopReason } : {}),
    ...(completionId !== undefined ? { completionId } : {}),
    ...(model !== undefined ? { model } : {}),
  }
}

interface BlockInProgress {
  block: JsonRecord
  text: string
  thinking: string
  json: string
}

/**
 * Accumulates the Messages stream events: `message_start` (id, model, input and cache usage),
 * `content_block_start` / `content_block_delta` (text, thinking, tool input JSON),
 * `message_delta` (stop reason, output usage).
 */
export class AnthropicStreamAccumulator implements StreamAccumulator {
  firstTokenAtMs: number | undefined
  private readonly blocks = new Map<number, BlockInProgress>()
  private message: JsonRecord = {}
  private usage: JsonRecord = {}
  private stopReason: string | undefined
  private error: unknown

  consume(chunk: unknown, atMs: number): void {
    const event = asRecord(chunk)
    if (!event) {
      return
    }
    switch (event.type) {
      case 'message_start': {
        this.message = asRecord(event.message) ?? {}
        this.usage = { ...asRecord(this.message.usage) }
        break
      }
      case 'content_block_start': {
        const block = asRecord(event.content_block) ?? {}
        this.blocks.set(asNumber(event.index) ?? this.blocks.size, {
          block,
          text: asString(block.text) ?? '',
          thinking: asString(block.thinking) ?? '',
          json: '',
        })
        if (block.type === 'tool_use') {
          this.firstTokenAtMs ??= atMs
        }
        break
      }
      case 'content_block_delta': {
        this.firstTokenAtMs ??= atMs
        const state = this.blocks.get(asNumber(event.index) ?? 0)
        const delta = asRecord(event.delta)
        if (!state || !delta) {
          break
        }
        if (delta.type === 'text_delta') {
          state.text += asString(delta.text) ?? ''
        } else if (delta.type === 'thinking_delta') {
          state.thinking += asString(delta.thinking) ?? ''
        } else if (delta.type === 'input_json_delta') {
          state.json += asString(delta.partial_json) ?? ''
        }
        break
      }
      case 'message_delta': {
        this.stopReason = asString(asRecord(event.delta)?.stop_reason) ?? this.stopReason
        // Output tokens are cumulative here; newer servers may restate input and cache counts too.
        for (const [key, value] of Object.entries(asRecord(event.usage) ?? {})) {
          if (value !== null && value !== undefined) {
            this.usage[key] = value
          }
        }
        break
      }
      case 'error': {
        this.error = asRecord(event.error) ?? event
        break
      }
    }
  }

  summary(): ResultSummary {
    const parts: AiContentPart[] = []
    for (const index of [...this.blocks.keys()].sort((a, b) => a - b)) {
      const state = this.blocks.get(index)
      const part = state ? blockPart({ ...state.block, text: state.text, thinking: state.thinking }, state.json) : undefined
      if (part) {
        parts.push(part)
      }
    }
    const usage = Object.keys(this.usage).length > 0 ? anthropicUsage(this.usage) : undefined
    const completionId = asString(this.message.id)
    const model = asString(this.message.model)
    return {
      output: parts.length > 0 ? [{ role: 'assistant', content: parts }] : [],
      ...(usage ? { usage } : {}),
      ...(this.stopReason !== undefined ? { stopReason: this.stopReason } : {}),
      ...(completionId !== undefined ? { completionId } : {}),
      ...(model !== undefined ? { model } : {}),
      ...(this.error !== undefined ? { error: this.error } : {}),
    }
  }
}

/** `POST /v1/messages`. */
export const anthropicMessagesAdapter: EndpointAdapter = {
  event: '$ai_generation',
  provider: 'anthropic',
  cacheReportingExclusive: true,
  requestIdHeader: 'request-id',
  input: anthropicInput,
  tools: (params) => params.tools,
  summarize: summarizeMessage,
  accumulate: () => new AnthropicStreamAccumulator(),
}
