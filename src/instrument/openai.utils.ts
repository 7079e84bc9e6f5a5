/**
 * How OpenAI's endpoints (Chat Completions, Responses, Embeddings, legacy Completions) map
 * onto `$ai_generation` / `$ai_embedding`, following `@posthog/ai`'s OpenAI wrapper. Pure:
 * used by `observeOpenAI` on SDK objects and by `observeFetch` on parsed JSON alike, so the
 * types here are structural and every field is read defensively.
 */
import type { AiContentPart, AiMessage } from '../schema/events'
import type { EndpointAdapter, ResultSummary, StreamAccumulator, TokenUsage } from './generation'
import { asArray, asNumber, asRecord, asString, type JsonRecord } from './instrument.utils'

/** Usage of a Chat Completions or legacy Completions response. */
export function chatUsage(usage: unknown): TokenUsage | undefined {
  const record = asRecord(usage)
  if (!record) {
    return undefined
  }
  const promptDetails = asRecord(record.prompt_tokens_details)
  const completionDetails = asRecord(record.completion_tokens_details)
  return {
    inputTokens: asNumber(record.prompt_tokens) ?? 0,
    outputTokens: asNumber(record.completion_tokens) ?? 0,
    cacheReadInputTokens: asNumber(promptDetails?.cached_tokens) ?? 0,
    // OpenAI-compatible servers that bill cache writes report them here.
    cacheCreationInputTokens: asNumber(promptDetails?.cache_write_tokens) ?? 0,
    reasoningTokens: asNumber(completionDetails?.reasoning_tokens) ?? 0,
    raw: usage,
  }
}

/** Usage of a Responses API response. */
export function responsesUsage(usage: unknown): TokenUsage | undefined {
  const record = asRecord(usage)
  if (!record) {
    return undefined
  }
  const inputDetails = asRecord(record.input_tokens_details)
  const outputDetails = asRecord(record.output_tokens_details)
  return {
    inputTokens: asNumber(record.input_tokens) ?? 0,
    outputTokens: asNumber(record.output_tokens) ?? 0,
    cacheReadInputTokens: asNumber(inputDetails?.cached_tokens) ?? 0,
    cacheCreationInputTokens: asNumber(inputDetails?.cache_write_tokens) ?? 0,
    reasoningTokens: asNumber(outputDetails?.reasoning_tokens) ?? 0,
    raw: usage,
  }
}

function functionPart(id: unknown, name: unknown, args: unknown): AiContentPart {
  return {
    type: 'function',
    id: typeof id === 'string' ? id : '',
    function: { name: typeof name === 'string' ? name : '', arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) },
  }
}

/** Text of a message's `content` when it is a string or a list of text parts. */
function contentText(content: unknown): string {
  if (typeof content === 'string') {
    return content
  }
  return (asArray(content) ?? [])
    .map((part) => (typeof part === 'string' ? part : (asString(asRecord(part)?.text) ?? '')))
    .join('')
}

/** One Chat Completions message in PostHog's output format: reasoning, text, then tool calls. */
function chatMessageParts(message: JsonRecord): AiContentPart[] {
  const parts: AiContentPart[] = []
  const reasoning = asString(message.reasoning_content) ?? asString(message.reasoning)
  if (reasoning) {
    parts.push({ type: 'reasoning', text: reasoning })
  }
  const text = contentText(message.content)
  if (text) {
    parts.push({ type: 'text', text })
  }
  for (const call of asArray(message.tool_calls) ?? []) {
    const record = asRecord(call)
    const fn = asRecord(record?.function)
    if (record && fn) {
      parts.push(functionPart(record.id, fn.name, fn.arguments))
    }
  }
  const legacyCall = asRecord(message.function_call)
  if (legacyCall) {
    parts.push(functionPart('', legacyCall.name, legacyCall.arguments))
  }
  return parts
}

/** `$ai_output_choices` of a chat completion: one assistant message per choice that has content. */
export function formatChatChoices(choices: unknown): AiMessage[] {
  const output: AiMessage[] = []
  for (const choice of asArray(choices) ?? []) {
    const message = asRecord(asRecord(choice)?.message)
    const parts = message ? chatMessageParts(message) : []
    if (message && parts.length > 0) {
      output.push({ role: asString(message.role) ?? 'assistant', content: parts })
    }
  }
  return output
}

/** `$ai_output_choices` of a Responses API output list, as one assistant message. */
export function formatResponsesOutput(items: unknown): AiMessage[] {
  const parts: AiContentPart[] = []
  let role = 'assistant'
  for (const item of asArray(items) ?? []) {
    const record = asRecord(item)
    if (!record) {
      continue
    }
    if (record.type === 'message') {
      role = asString(record.role) ?? role
      for (const content of asArray(record.content) ?? []) {
        const part = asRecord(content)
        const text = asString(part?.text) ?? asString(part?.refusal)
        if (text) {
          parts.push({ type: 'text', text })
        }
      }
    } else if (record.type === 'function_call') {
      parts.push(functionPart(asString(record.call_id) ?? record.id, record.name, record.arguments))
    } else if (record.type === 'reasoning') {
      const summary = (asArray(record.summary) ?? []).map((entry) => asString(asRecord(entry)?.text) ?? '').join('\n')
      if (summary) {
        parts.push({ type: 'reasoning', text: summary })
      }
    }
  }
  return parts.length > 0 ? [{ role, content: parts }] : []
}

/**
 * `$ai_input` of a Responses API call, as `@posthog/ai` builds it: `instructions` as a system
 * message, then each input item as `{role, content}` with non-string content JSON-encoded.
 */
export function responsesInput(params: JsonRecord): AiMessage[] {
  const messages: AiMessage[] = []
  const instructions = asString(params.instructions)
  if (instructions) {
    messages.push({ role: 'system', content: instructions })
  }
  const input = params.input
  if (typeof input === 'string') {
    messages.push({ role: 'user', content: input })
  } else if (Array.isArray(input)) {
    for (const item of input) {
      const record = asRecord(item)
      if (!record) {
        messages.push({ role: 'user', content: typeof item === 'string' ? item : stringifyContent(item) })
        continue
      }
      const content = record.content ?? record.text ?? item
      messages.push({ role: asString(record.role) ?? 'user', content: typeof content === 'string' ? content : stringifyContent(content) })
    }
  } else if (input !== undefined && input !== null) {
    messages.push({ role: 'user', content: stringifyContent(input) })
  }
  return messages
}

function stringifyContent(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** A stream chunk's `[DONE]`-free payload may carry `{error}` (OpenAI-compatible servers). */
function chunkError(chunk: JsonRecord): unknown {
  return asRecord(chunk.error) ?? undefined
}

interface ChoiceInProgress {
  role: string
  text: string
  reasoning: string
  toolCalls: Map<number, { id: string; name: string; arguments: string }>
  finishReason?: string
}

/** Accumulates Chat Completions (and legacy Completions) chunks: text, reasoning and tool-call deltas per choice, usage. */
export class ChatStreamAccumulator implements StreamAccumulator {
  firstTokenAtMs: number | undefined
  private readonly choices = new Map<number, ChoiceInProgress>()
  private readonly meta: Omit<ResultSummary, 'output'> = {}

  consume(chunk: unknown, atMs: number): void {
    const record = asRecord(chunk)
    if (!record) {
      return
    }
    this.meta.completionId ??= asString(record.id)
    this.meta.model ??= asString(record.model)
    this.meta.systemFingerprint ??= asString(record.system_fingerprint)
    this.meta.serviceTier = asString(record.service_tier) ?? this.meta.serviceTier
    this.meta.error ??= chunkError(record)
    for (const choice of asArray(record.choices) ?? []) {
      this.consumeChoice(asRecord(choice), atMs)
    }
    const usage = chatUsage(record.usage)
    if (usage) {
      this.meta.usage = usage
    }
  }

  private consumeChoice(choice: JsonRecord | undefined, atMs: number): void {
    if (!choice) {
      return
    }
    const index = asNumber(choice.index) ?? 0
    let state = this.choices.get(index)
    if (!state) {
      state = { role: 'assistant', text: '', reasoning: '', toolCalls: new Map() }
      this.choices.set(index, state)
    }
    // Legacy Completions stream `choices[].text`; Chat Completions stream `choices[].delta`.
    const delta = asRecord(choice.delta) ?? { content: choice.text }
    state.role = asString(delta.role) ?? state.role
    const text = typeof delta.content === 'string' ? delta.content : ''
    const reasoning = asString(delta.reasoning_content) ?? asString(delta.reasoning) ?? ''
    const toolCalls = asArray(delta.tool_calls) ?? []
    if (text || reasoning || toolCalls.length > 0) {
      this.firstTokenAtMs ??= atMs
    }
    state.text += text
    state.reasoning += reasoning
    for (const call of toolCalls) {
      const record = asRecord(call)
      if (!record) {
        continue
      }
      const callIndex = asNumber(record.index) ?? state.toolCalls.size
      const current = state.toolCalls.get(callIndex) ?? { id: '', name: '', arguments: '' }
      const fn = asRecord(record.function)
      current.id = asString(record.id) ?? current.id
      current.name = asString(fn?.name) ?? current.name
      current.arguments += typeof fn?.arguments === 'string' ? fn.arguments : ''
      state.toolCalls.set(callIndex, current)
    }
    state.finishReason = asString(choice.finish_reason) ?? state.finishReason
  }

  summary(): ResultSummary {
    const output: AiMessage[] = []
    const indexes = [...this.choices.keys()].sort((a, b) => a - b)
    for (const index of indexes) {
      const state = this.choices.get(index)
      if (!state) {
        continue
      }
      const parts: AiContentPart[] = []
      if (state.reasoning) {
        parts.push({ type: 'reasoning', text: state.reasoning })
      }
      if (state.text) {
        parts.push({ type: 'text', text: state.text })
      }
      const callIndexes = [...state.toolCalls.keys()].sort((a, b) => a - b)
      for (const callIndex of callIndexes) {
        const call = state.toolCalls.get(callIndex)
        if (call) {
          parts.push(functionPart(call.id, call.name, call.arguments))
        }
      }
      if (parts.length > 0) {
        output.push({ role: state.role, content: parts })
      }
    }
    const firstIndex = indexes[0]
    const stopReason = firstIndex === undefined ? undefined : this.choices.get(firstIndex)?.finishReason
    return { ...this.meta, output, ...(stopReason !== undefined ? { stopReason } : {}) }
  }
}

const TERMINAL_RESPONSE_STATUSES = new Set(['completed', 'failed', 'cancelled', 'incomplete'])

/** `$ai_stop_reason` of a Responses API response: why it is incomplete, else its status. */
function responsesStopReason(response: JsonRecord): string | undefined {
  return asString(asRecord(response.incomplete_details)?.reason) ?? asString(response.status)
}

function summarizeResponse(result: unknown): ResultSummary {
  const response = asRecord(result) ?? {}
  const usage = responsesUsage(response.usage)
  const stopReason = responsesStopReason(response)
  const completionId = asString(response.id)
  const model = asString(response.model)
  const serviceTier = asString(response.service_tier)
  const failure = response.status === 'failed' ? (asRecord(response.error) ?? { message: 'response failed' }) : undefined
  return {
    output: formatResponsesOutput(response.output),
    ...(usage ? { usage } : {}),
    ...(stopReason !== undefined ? { stopReason } : {}),
    ...(completionId !== undefined ? { completionId } : {}),
    ...(model !== undefined ? { model } : {}),
    ...(serviceTier !== undefined ? { serviceTier } : {}),
    ...(failure !== undefined ? { error: failure } : {}),
  }
}

/**
 * Accumulates Responses API stream events. The terminal event carries the whole response;
 * until then (a stream cancelled half way) the output is rebuilt from the deltas seen.
 */
export class ResponsesStreamAccumulator implements StreamAccumulator {
  firstTokenAtMs: number | undefined
  private latest: JsonRecord | undefined
  private terminal: JsonRecord | undefined
  private error: unknown
  private readonly items = new Map<number, JsonRecord>()
  private readonly texts = new Map<number, string>()
  private readonly functionArguments = new Map<number, string>()

  consume(chunk: unknown, atMs: number): void {
    const event = asRecord(chunk)
    const type = asString(event?.type)
    if (!event || !type) {
      return
    }
    if (type.endsWith('.delta')) {
      this.firstTokenAtMs ??= atMs
    }
    const outputIndex = asNumber(event.output_index) ?? 0
    const delta = typeof event.delta === 'string' ? event.delta : ''
    if (type === 'response.output_text.delta') {
      this.texts.set(outputIndex, (this.texts.get(outputIndex) ?? '') + delta)
    } else if (type === 'response.function_call_arguments.delta') {
      this.functionArguments.set(outputIndex, (this.functionArguments.get(outputIndex) ?? '') + delta)
    } else if (type === 'response.output_item.added' || type === 'response.output_item.done') {
      const item = asRecord(event.item)
      if (item) {
        this.items.set(outputIndex, item)
      }
    } else if (type === 'error') {
      this.error = event
    }
    const response = asRecord(event.response)
    if (response) {
      this.latest = response
      if (TERMINAL_RESPONSE_STATUSES.has(asString(response.status) ?? '')) {
        this.terminal = response
      }
    }
  }

  summary(): ResultSummary {
    const summary = summarizeResponse(this.terminal ?? this.latest)
    if (!this.terminal) {
      summary.output = formatResponsesOutput(this.partialOutput())
    }
    if (this.error !== undefined) {
      summary.error ??= this.error
    }
    return summary
  }

  /** The output items seen so far, with the text and arguments streamed into them. */
  private partialOutput(): JsonRecord[] {
    const indexes = new Set([...this.items.keys(), ...this.texts.keys(), ...this.functionArguments.keys()])
    return [...indexes]
      .sort((a, b) => a - b)
      .map((index) => {
        const item = this.items.get(index) ?? { type: this.functionArguments.has(index) ? 'function_call' : 'message' }
        if (item.type === 'function_call') {
          return { ...item, arguments: asString(item.arguments) ?? this.functionArguments.get(index) ?? '' }
        }
        const text = this.texts.get(index)
        return text === undefined ? item : { ...item, type: 'message', content: [{ type: 'output_text', text }] }
      })
  }
}

/** An accumulator for endpoints that never stream. */
class NoStreamAccumulator implements StreamAccumulator {
  readonly firstTokenAtMs = undefined
  consume(): void {}
  summary(): ResultSummary {
    return { output: null }
  }
}

/** `$ai_tools` of a request: `tools`, or the legacy `functions`. */
function requestTools(params: JsonRecord): unknown {
  return params.tools ?? params.functions
}

/** `POST /chat/completions`. */
export const chatCompletionsAdapter: EndpointAdapter = {
  event: '$ai_generation',
  provider: 'openai',
  cacheReportingExclusive: false,
  requestIdHeader: 'x-request-id',
  input: (params) => params.messages,
  tools: requestTools,
  summarize(result) {
    const completion = asRecord(result) ?? {}
    const usage = chatUsage(completion.usage)
    const stopReason = asString(asRecord(asArray(completion.choices)?.[0])?.finish_reason)
    return {
      output: formatChatChoices(completion.choices),
      ...(usage ? { usage } : {}),
      ...(stopReason !== undefined ? { stopReason } : {}),
      completionId: asString(completion.id),
      model: asString(completion.model),
      serviceTier: asString(completion.service_tier),
      systemFingerprint: asString(completion.system_fingerprint),
    }
  },
  accumulate: () => new ChatStreamAccumulator(),
}

/** `POST /responses`. */
export const responsesAdapter: EndpointAdapter = {
  event: '$ai_generation',
  provider: 'openai',
  cacheReportingExclusive: false,
  requestIdHeader: 'x-request-id',
  input: responsesInput,
  tools: requestTools,
  summarize: summarizeResponse,
  accumulate: () => new ResponsesStreamAccumulator(),
  isPending(params, result) {
    // A background response is captured when it is fetched complete, as `@posthog/ai` does.
    const response = asRecord(result)
    return params.background === true && !response?.usage && !TERMINAL_RESPONSE_STATUSES.has(asString(response?.status) ?? 'completed')
  },
}

/** `POST /embeddings`: an `$ai_embedding` with input tokens only. */
export const embeddingsAdapter: EndpointAdapter = {
  event: '$ai_embedding',
  provider: 'openai',
  cacheReportingExclusive: false,
  requestIdHeader: 'x-request-id',
  input: (params) => params.input,
  tools: () => undefined,
  summarize(result) {
    const usage = asRecord(asRecord(result)?.usage)
    const model = asString(asRecord(result)?.model)
    return {
      output: null,
      ...(usage ? { usage: { inputTokens: asNumber(usage.prompt_tokens) ?? 0, raw: usage } } : {}),
      ...(model !== undefined ? { model } : {}),
    }
  },
  accumulate: () => new NoStreamAccumulator(),
}

/** `POST /completions` (legacy text completions, still served by many OpenAI-compatible servers). */
export const completionsAdapter: EndpointAdapter = {
  event: '$ai_generation',
  provider: 'openai',
  cacheReportingExclusive: false,
  requestIdHeader: 'x-request-id',
  input(params) {
    const prompts = Array.isArray(params.prompt) ? params.prompt : [params.prompt]
    return prompts
      .filter((prompt) => prompt !== undefined && prompt !== null)
      .map((prompt): AiMessage => ({ role: 'user', content: typeof prompt === 'string' ? prompt : stringifyContent(prompt) }))
  },
  tools: () => undefined,
  summarize(result) {
    const accumulator = new ChatStreamAccumulator()
    accumulator.consume(result, 0)
    const summary = accumulator.summary()
    return summary
  },
  accumulate: () => new ChatStreamAccumulator(),
}
