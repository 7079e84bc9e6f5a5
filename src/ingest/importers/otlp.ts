import type { CaptureInput } from '../captureTarget'
import type { ImportSink, TextParser } from './importers.types'
import { createJsonDocumentsParser } from './jsonDocuments'
import { describeJsonType, isJsonObject, type JsonObject } from './json'
import { DEFAULT_MAX_RECORD_CHARS } from './lines'
import {
  collectIndexed,
  messagesFromIndexedGenAi,
  messagesFromOpenInference,
  messagesFromOtel,
  parseMaybeJson,
  systemInstructionsText,
  withSystemMessage,
  type MessageList,
} from './otlpMessages'
import {
  decodeAttributes,
  deterministicUuid,
  nanosToIso,
  nanosToSeconds,
  normalizeOtlpId,
  parseUnixNanos,
  type AttributeMap,
} from './otlpValues'

/**
 * Span attributes the mapping does not use are kept as event properties under their own
 * dotted key (`gen_ai.agent.name`, `http.route`, a host's `app.feature`), so a host can
 * filter and group by them: at most this many per span, in the span's order.
 */
export const MAX_KEPT_ATTRIBUTES = 64

/**
 * Families of indexed attributes that are rebuilt into `$ai_*` properties or are too bulky to
 * keep one key at a time (embedding vectors, retrieved documents): never kept as they are.
 */
const UNKEPT_PREFIXES = [
  'gen_ai.prompt.',
  'gen_ai.completion.',
  'llm.input_messages.',
  'llm.output_messages.',
  'llm.tools.',
  'llm.request.functions.',
  'llm.prompts.',
  'llm.choices.',
  'embedding.embeddings.',
  'retrieval.documents.',
  'reranker.input_documents.',
  'reranker.output_documents.',
  'ai.embedding',
  'ai.request.headers.',
  'ai.response.providerMetadata',
]

/** `gen_ai.operation.name` values (and older spellings) of one LLM call. */
const GENERATION_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'completion'])

/** `gen_ai.operation.name` values of an embedding call. */
const EMBEDDING_OPERATIONS = new Set(['embeddings', 'embedding'])

/**
 * `$ai_span_type` for OTel operations, named as OpenInference kinds and OpenAI Agents' span
 * types are (`tool`, `agent`, `retriever`), so one filter finds them whichever convention
 * produced them. Other operation names are kept as they are (`create_agent`, `rerank`).
 */
const SPAN_TYPE_BY_OPERATION: Readonly<Record<string, string>> = {
  execute_tool: 'tool',
  invoke_agent: 'agent',
  retrieval: 'retriever',
  invoke_workflow: 'workflow',
}

/** Traceloop/OpenLLMetry's `llm.request.type` values as `gen_ai.operation.name` values. */
const OPERATION_BY_TRACELOOP_REQUEST_TYPE: Readonly<Record<string, string>> = {
  chat: 'chat',
  completion: 'text_completion',
  embedding: 'embeddings',
  rerank: 'rerank',
}

/**
 * The Vercel AI SDK's `ai.operationId` values of the provider-level call (the inner span
 * that carries the usage of one model call), by the event they become. The outer
 * `ai.generateText` / `ai.streamText` spans stay `$ai_span`s.
 */
const EVENT_BY_VERCEL_OPERATION: Readonly<Record<string, '$ai_generation' | '$ai_embedding'>> = {
  'ai.generateText.doGenerate': '$ai_generation',
  'ai.streamText.doStream': '$ai_generation',
  'ai.generateObject.doGenerate': '$ai_generation',
  'ai.streamObject.doStream': '$ai_generation',
  'ai.embed.doEmbed': '$ai_embedding',
  'ai.embedMany.doEmbed': '$ai_embedding',
}

/** Request attributes collected into `$ai_model_parameters`, with the key used there. */
const MODEL_PARAMETER_ATTRIBUTES: readonly (readonly [string, string])[] = [
  ['gen_ai.request.temperature', 'temperature'],
  ['gen_ai.request.max_tokens', 'max_tokens'],
  ['gen_ai.request.top_p', 'top_p'],
  ['gen_ai.request.top_k', 'top_k'],
  ['gen_ai.request.frequency_penalty', 'frequency_penalty'],
  ['gen_ai.request.presence_penalty', 'presence_penalty'],
  ['gen_ai.request.seed', 'seed'],
  ['gen_ai.openai.request.seed', 'seed'],
  ['gen_ai.request.stop_sequences', 'stop'],
  ['gen_ai.request.choice.count', 'n'],
  ['gen_ai.request.stream', 'stream'],
  ['llm.is_streaming', 'stream'],
  ['gen_ai.openai.request.service_tier', 'service_tier'],
]

/** Where a span sits in the document, and what its resource and scope say. */
interface SpanContext {
  location: string
  resource: AttributeMap
  scopeName: string | undefined
  scopeVersion: string | undefined
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

/** An identifier attribute as a string: OTel lets `user.id` and friends be ints too. */
function asIdentifier(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value)
  }
  return asString(value)
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const number = Number(value)
    return Number.isFinite(number) ? number : undefined
  }
  return undefined
}

/** A token count: an integer, rounded if a double was sent. */
function asTokenCount(value: unknown): number | undefined {
  const number = asNumber(value)
  return number === undefined || number < 0 ? undefined : Math.round(number)
}

/** Reads span attributes and remembers which ones the mapping used. */
class AttributeReader {
  readonly used = new Set<string>()
  readonly attributes: AttributeMap

  constructor(attributes: AttributeMap) {
    this.attributes = attributes
  }

  /** The value of the first of `keys` that is present; all of `keys` count as used. */
  first(...keys: string[]): unknown {
    let found: unknown
    for (const key of keys) {
      if (this.attributes.has(key)) {
        this.used.add(key)
        if (found === undefined) {
          found = this.attributes.get(key)
        }
      }
    }
    return found
  }
}

function isErrorStatus(status: unknown): boolean {
  if (!isJsonObject(status)) {
    return false
  }
  const code = status.code
  return code === 2 || code === '2' || code === 'STATUS_CODE_ERROR' || code === 'ERROR'
}

function firstFinishReason(value: unknown): string | undefined {
  const parsed = parseMaybeJson(value)
  if (Array.isArray(parsed)) {
    return parsed.find((reason): reason is string => typeof reason === 'string' && reason.length > 0)
  }
  return asString(parsed)
}

/** `input.value` / `output.value`, parsed when their mime type (or their look) says JSON. */
function openInferenceValue(value: unknown, mimeType: unknown): unknown {
  if (typeof value !== 'string') {
    return value
  }
  if (mimeType === 'application/json' || mimeType === undefined) {
    return parseMaybeJson(value)
  }
  return value
}

function toolDefinitions(reader: AttributeReader): unknown[] | undefined {
  const otel = parseMaybeJson(reader.first('gen_ai.tool.definitions'))
  const openInference = collectIndexed(reader.attributes, 'llm.tools.', reader.used)
    .map((entry) => (isJsonObject(entry.tool) ? parseMaybeJson(entry.tool.json_schema) : undefined))
    .filter((tool) => tool !== undefined)
  const traceloop = collectIndexed(reader.attributes, 'llm.request.functions.', reader.used).map((entry) => ({
    type: 'function',
    function: {
      name: entry.name,
      ...(entry.description === undefined ? {} : { description: entry.description }),
      ...(entry.parameters === undefined ? {} : { parameters: parseMaybeJson(entry.parameters) }),
    },
  }))
  if (Array.isArray(otel)) {
    return otel
  }
  if (openInference.length > 0) {
    return openInference
  }
  return traceloop.length > 0 ? traceloop : undefined
}

function modelParameters(reader: AttributeReader): Record<string, unknown> | undefined {
  const parameters: Record<string, unknown> = {}
  const invocation = parseMaybeJson(reader.first('llm.invocation_parameters'))
  if (isJsonObject(invocation)) {
    Object.assign(parameters, invocation)
  }
  for (const [key, name] of MODEL_PARAMETER_ATTRIBUTES) {
    const value = reader.first(key)
    if (value !== undefined && value !== null) {
      parameters[name] = value
    }
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined
}

/**
 * Documents of an OpenInference RETRIEVER span (`retrieval.documents.N.document.{id,
 * content, score, metadata}`), as a list for `$ai_output_state`.
 */
function retrievedDocuments(reader: AttributeReader): JsonObject[] | undefined {
  const documents = collectIndexed(reader.attributes, 'retrieval.documents.', reader.used)
    .map((entry) => entry.document)
    .filter(isJsonObject)
    .map((document) =>
      document.metadata === undefined ? document : { ...document, metadata: parseMaybeJson(document.metadata) },
    )
  return documents.length > 0 ? documents : undefined
}

/** Texts of OpenInference embedding spans (`embedding.embeddings.N.embedding.text`); vectors are dropped. */
function embeddingTexts(reader: AttributeReader): string[] | undefined {
  const texts = collectIndexed(reader.attributes, 'embedding.embeddings.', reader.used)
    .map((entry) => (isJsonObject(entry.embedding) ? entry.embedding.text : undefined))
    .filter((text): text is string => typeof text === 'string')
  return texts.length > 0 ? texts : undefined
}

function setIfDefined(properties: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) {
    properties[key] = value
  }
}

/** Maps the `exception` events of a span to PostHog `$exception` events. */
function exceptionEvents(
  span: JsonObject,
  base: { traceId: string; spanId: string; distinctId: string; anonymous: boolean; timestamp: string | undefined },
  serviceName: string | undefined,
): { event: CaptureInput; index: number }[] {
  if (!Array.isArray(span.events)) {
    return []
  }
  const events: { event: CaptureInput; index: number }[] = []
  span.events.forEach((spanEvent: unknown, index) => {
    if (!isJsonObject(spanEvent) || spanEvent.name !== 'exception') {
      return
    }
    const attributes = decodeAttributes(spanEvent.attributes)
    const type = asString(attributes.get('exception.type')) ?? 'Error'
    const message = asString(attributes.get('exception.message')) ?? ''
    const stacktrace = asString(attributes.get('exception.stacktrace'))
    const time = parseUnixNanos(spanEvent.timeUnixNano)
    const properties: Record<string, unknown> = {
      $exception_list: [
        { type, value: message, mechanism: { handled: attributes.get('exception.escaped') !== true, synthetic: false } },
      ],
      $exception_type: type,
      $exception_message: message,
    }
    setIfDefined(properties, '$exception_stack_trace_raw', stacktrace)
    properties.$ai_trace_id = base.traceId
    setIfDefined(properties, '$service_name', serviceName)
    if (base.anonymous) {
      properties.$process_person_profile = false
    }
    const event: CaptureInput = {
      event: '$exception',
      uuid: deterministicUuid(`${base.traceId}:${base.spanId}:exception:${index}`),
      distinct_id: base.distinctId,
      properties,
    }
    const timestamp = (time === undefined ? undefined : nanosToIso(time)) ?? base.timestamp
    if (timestamp !== undefined) {
      event.timestamp = timestamp
    }
    events.push({ event, index })
  })
  return events
}

/** The first present of several attribute keys, converted, becomes one event property. */
interface ScalarMapping {
  property: string
  /** Attribute keys in order of preference: current OTel GenAI, older OTel, OpenInference, Vercel AI SDK. */
  keys: readonly string[]
  convert: (value: unknown) => unknown
}

/**
 * The one-to-one part of the mapping. `$ai_model` prefers the requested model, as
 * `@posthog/ai` records it (PostHog's OTel ingestion prefers the response model).
 */
const SCALAR_MAPPINGS: readonly ScalarMapping[] = [
  {
    property: '$ai_model',
    keys: [
      'gen_ai.request.model',
      'gen_ai.response.model',
      'llm.request.model_name',
      'llm.model_name',
      'llm.response.model_name',
      'embedding.model_name',
      'ai.model.id',
      'ai.response.model',
    ],
    convert: asString,
  },
  {
    property: '$ai_input_tokens',
    keys: [
      'gen_ai.usage.input_tokens',
      'gen_ai.usage.prompt_tokens',
      'llm.token_count.prompt',
      'ai.usage.inputTokens',
      'ai.usage.promptTokens',
    ],
    convert: asTokenCount,
  },
  {
    property: '$ai_output_tokens',
    keys: [
      'gen_ai.usage.output_tokens',
      'gen_ai.usage.completion_tokens',
      'llm.token_count.completion',
      'ai.usage.outputTokens',
      'ai.usage.completionTokens',
    ],
    convert: asTokenCount,
  },
  {
    property: '$ai_cache_read_input_tokens',
    keys: [
      'gen_ai.usage.cache_read.input_tokens',
      'gen_ai.usage.cache_read_input_tokens',
      'llm.token_count.prompt_details.cache_read',
      'ai.usage.cachedInputTokens',
    ],
    convert: asTokenCount,
  },
  {
    property: '$ai_cache_creation_input_tokens',
    keys: [
      'gen_ai.usage.cache_creation.input_tokens',
      'gen_ai.usage.cache_creation_input_tokens',
      'llm.token_count.prompt_details.cache_write',
    ],
    convert: asTokenCount,
  },
  {
    property: '$ai_reasoning_tokens',
    keys: [
      'gen_ai.usage.reasoning.output_tokens',
      'gen_ai.usage.reasoning_tokens',
      'llm.token_count.completion_details.reasoning',
      'ai.usage.reasoningTokens',
    ],
    convert: asTokenCount,
  },
  {
    property: '$ai_total_tokens',
    keys: [
      'gen_ai.usage.total_tokens',
      'llm.usage.total_tokens',
      'llm.token_count.total',
      'ai.usage.totalTokens',
      'ai.usage.tokens',
    ],
    convert: asTokenCount,
  },
  { property: '$ai_input_cost_usd', keys: ['llm.cost.prompt'], convert: asNumber },
  { property: '$ai_output_cost_usd', keys: ['llm.cost.completion'], convert: asNumber },
  { property: '$ai_total_cost_usd', keys: ['llm.cost.total', 'gen_ai.usage.cost'], convert: asNumber },
  { property: '$ai_completion_id', keys: ['gen_ai.response.id', 'ai.response.id'], convert: asString },
  { property: '$ai_base_url', keys: ['server.address'], convert: asString },
  { property: '$ai_agent_name', keys: ['gen_ai.agent.name', 'agent.name'], convert: asString },
  { property: '$ai_prompt_name', keys: ['gen_ai.prompt.name'], convert: asString },
]

/** Provider attributes, in order of preference. */
const PROVIDER_KEYS = ['gen_ai.provider.name', 'gen_ai.system', 'llm.provider', 'llm.system', 'ai.model.provider']

/** Which event a span becomes, and for a `$ai_span` its type. */
interface SpanClass {
  eventName: '$ai_generation' | '$ai_embedding' | '$ai_span'
  spanType: string | undefined
  /** The span comes from the Vercel AI SDK (it has `ai.operationId`). */
  isVercel: boolean
}

/**
 * Classifies a span: `gen_ai.operation.name` (or Traceloop's `llm.request.type`), then
 * OpenInference's `openinference.span.kind`, then the Vercel AI SDK's `ai.operationId`.
 * Anything that is not a model call is a `$ai_span`, as in PostHog's OTel ingestion.
 */
function classifySpan(reader: AttributeReader): SpanClass {
  const operationName = asString(reader.first('gen_ai.operation.name'))
  const traceloopRequestType = asString(reader.first('llm.request.type'))
  const operation =
    operationName ?? (traceloopRequestType ? OPERATION_BY_TRACELOOP_REQUEST_TYPE[traceloopRequestType] : undefined)
  const openInferenceKind = asString(reader.first('openinference.span.kind'))?.toUpperCase()
  const traceloopKind = asString(reader.first('traceloop.span.kind'))
  const vercelOperation = asString(reader.first('ai.operationId'))
  const isVercel = vercelOperation !== undefined
  if ((operation !== undefined && GENERATION_OPERATIONS.has(operation)) || openInferenceKind === 'LLM') {
    return { eventName: '$ai_generation', spanType: undefined, isVercel }
  }
  if ((operation !== undefined && EMBEDDING_OPERATIONS.has(operation)) || openInferenceKind === 'EMBEDDING') {
    return { eventName: '$ai_embedding', spanType: undefined, isVercel }
  }
  const vercelEvent = vercelOperation === undefined ? undefined : EVENT_BY_VERCEL_OPERATION[vercelOperation]
  if (operation === undefined && openInferenceKind === undefined && vercelEvent !== undefined) {
    return { eventName: vercelEvent, spanType: undefined, isVercel }
  }
  const spanType =
    (operation !== undefined ? (SPAN_TYPE_BY_OPERATION[operation] ?? operation) : undefined) ??
    openInferenceKind?.toLowerCase() ??
    traceloopKind ??
    (vercelOperation === 'ai.toolCall' ? 'tool' : vercelOperation)
  return { eventName: '$ai_span', spanType, isVercel }
}

/** What a span says about its inputs and outputs, in PostHog's properties. */
interface SpanContent {
  input: unknown
  output: unknown
  inputState: unknown
  outputState: unknown
  finishReason: string | undefined
}

/**
 * Reads a span's content. Messages (OTel `gen_ai.input/output.messages`, the indexed
 * `gen_ai.prompt.N` / `gen_ai.completion.N`, OpenInference `llm.input/output_messages.N`,
 * Vercel `ai.prompt.messages`) become `$ai_input` / `$ai_output_choices` on any event.
 * Otherwise a model call takes `input.value` / `output.value` (and embedding texts) as its
 * input and output, and a span takes them, or its tool call arguments and result, or its
 * retrieved documents, as `$ai_input_state` / `$ai_output_state`.
 */
function readSpanContent(reader: AttributeReader, isModelCall: boolean): SpanContent {
  const { attributes, used } = reader
  const otelInput = reader.first('gen_ai.input.messages')
  const otelOutput = reader.first('gen_ai.output.messages')
  const legacyPrompt = reader.first('gen_ai.prompt')
  const legacyCompletion = reader.first('gen_ai.completion')
  // All collected, even when an earlier source wins, so none of their keys is kept as is.
  const indexedInput = messagesFromIndexedGenAi(attributes, 'gen_ai.prompt.', used)
  const indexedOutput = messagesFromIndexedGenAi(attributes, 'gen_ai.completion.', used)
  const openInferenceInput = messagesFromOpenInference(attributes, 'llm.input_messages.', used)
  const openInferenceOutput = messagesFromOpenInference(attributes, 'llm.output_messages.', used)
  const systemInstructions = systemInstructionsText(reader.first('gen_ai.system_instructions'))
  const inputValue = openInferenceValue(reader.first('input.value'), reader.first('input.mime_type'))
  const outputValue = openInferenceValue(reader.first('output.value'), reader.first('output.mime_type'))
  const toolArguments = parseMaybeJson(reader.first('gen_ai.tool.call.arguments', 'ai.toolCall.args', 'ai.toolCall.input'))
  const toolResult = parseMaybeJson(reader.first('gen_ai.tool.call.result', 'ai.toolCall.result', 'ai.toolCall.output'))
  const vercelMessages = reader.first('ai.prompt.messages')
  const vercelPrompt = parseMaybeJson(reader.first('ai.prompt'))
  const vercelText = reader.first('ai.response.text')
  const vercelEmbedded = reader.first('ai.values', 'ai.value')
  const texts = embeddingTexts(reader)
  const documents = retrievedDocuments(reader)

  const inputList: MessageList | undefined =
    (otelInput !== undefined ? messagesFromOtel(otelInput) : undefined) ??
    indexedInput ??
    openInferenceInput ??
    (legacyPrompt !== undefined ? messagesFromOtel(legacyPrompt) : undefined) ??
    (vercelMessages !== undefined ? { messages: parseMaybeJson(vercelMessages) } : undefined)
  const outputList: MessageList | undefined =
    (otelOutput !== undefined ? messagesFromOtel(otelOutput) : undefined) ??
    indexedOutput ??
    openInferenceOutput ??
    (legacyCompletion !== undefined ? messagesFromOtel(legacyCompletion) : undefined) ??
    (isModelCall && typeof vercelText === 'string' ? { messages: [{ role: 'assistant', content: vercelText }] } : undefined)

  const content: SpanContent = {
    input: inputList?.messages,
    output: outputList?.messages,
    inputState: undefined,
    outputState: undefined,
    finishReason: outputList?.finishReason,
  }
  if (systemInstructions !== undefined) {
    content.input = withSystemMessage(content.input, systemInstructions)
  }
  if (isModelCall) {
    content.input ??=
      texts ?? vercelEmbedded ?? (isJsonObject(inputValue) && Array.isArray(inputValue.messages) ? inputValue.messages : inputValue)
    if (content.output === undefined && outputValue !== undefined) {
      const text = typeof outputValue === 'string' ? outputValue : JSON.stringify(outputValue)
      content.output = [{ role: 'assistant', content: text }]
    }
  } else {
    content.inputState = inputValue ?? toolArguments ?? vercelPrompt
    content.outputState = outputValue ?? toolResult ?? documents ?? vercelText
  }
  return content
}

/**
 * Maps one OTLP span to a PostHog event (plus a `$exception` event per `exception` span
 * event). See the README of this folder for the attribute table.
 */
function mapSpan(span: unknown, context: SpanContext, sink: ImportSink): void {
  const at = context.location
  if (!isJsonObject(span)) {
    sink.problem(at, `expected a span object, got ${describeJsonType(span)}`)
    return
  }
  const traceId = normalizeOtlpId(span.traceId ?? span.trace_id, 16)
  if (traceId === undefined) {
    sink.problem(at, `span skipped: traceId ${JSON.stringify(span.traceId ?? null)} is not 32 hex digits (or base64 of 16 bytes), or is all zeros`)
    return
  }
  const spanId = normalizeOtlpId(span.spanId ?? span.span_id, 8)
  if (spanId === undefined) {
    sink.problem(at, `span skipped: spanId ${JSON.stringify(span.spanId ?? null)} is not 16 hex digits (or base64 of 8 bytes), or is all zeros`)
    return
  }
  const rawParent = span.parentSpanId ?? span.parent_span_id
  const parentSpanId = normalizeOtlpId(rawParent, 8)
  if (parentSpanId === undefined && typeof rawParent === 'string' && rawParent !== '' && !/^0+$/.test(rawParent)) {
    sink.problem(at, `parentSpanId ${JSON.stringify(rawParent)} is not a valid span id: the span is imported as a root`)
  }

  const reader = new AttributeReader(decodeAttributes(span.attributes))
  const resource = context.resource
  const fromSpanOrResource = (...keys: string[]): unknown => {
    const value = reader.first(...keys)
    if (value !== undefined) {
      return value
    }
    for (const key of keys) {
      if (resource.has(key)) {
        return resource.get(key)
      }
    }
    return undefined
  }

  const { eventName, spanType, isVercel } = classifySpan(reader)
  const isModelCall = eventName !== '$ai_span'

  // Timing.
  const startNanos = parseUnixNanos(span.startTimeUnixNano ?? span.start_time_unix_nano)
  const endNanos = parseUnixNanos(span.endTimeUnixNano ?? span.end_time_unix_nano)
  const timestamp = startNanos === undefined ? undefined : nanosToIso(startNanos)
  if (timestamp === undefined) {
    sink.problem(at, 'no usable startTimeUnixNano: the event has no timestamp')
  }
  let latencySeconds: number | undefined
  if (startNanos !== undefined && endNanos !== undefined) {
    if (endNanos >= startNanos) {
      latencySeconds = nanosToSeconds(endNanos - startNanos)
    } else {
      sink.problem(at, 'endTimeUnixNano is before startTimeUnixNano: no $ai_latency')
    }
  }

  // Who and which session: span attributes first, then the resource's.
  const userId = asIdentifier(
    fromSpanOrResource(
      'user.id',
      'enduser.id',
      'posthog.distinct_id',
      'ai.telemetry.metadata.posthog_distinct_id',
      'ai.telemetry.metadata.userId',
    ),
  )
  const sessionId = asIdentifier(
    fromSpanOrResource(
      'session.id',
      'gen_ai.conversation.id',
      'ai.telemetry.metadata.$ai_session_id',
      'ai.telemetry.metadata.sessionId',
    ),
  )
  const serviceName = asString(resource.get('service.name'))

  const content = readSpanContent(reader, isModelCall)

  // Errors: an ERROR status or an `error.type`; the message from the status, else the exception.
  const errorType = asString(reader.first('error.type'))
  const isError = isErrorStatus(span.status) || errorType !== undefined
  const exceptions = exceptionEvents(
    span,
    { traceId, spanId, distinctId: userId ?? traceId, anonymous: userId === undefined, timestamp },
    serviceName,
  )

  const properties: Record<string, unknown> = {
    $ai_trace_id: traceId,
    $ai_span_id: spanId,
  }
  if (eventName === '$ai_generation') {
    properties.$ai_generation_id = spanId
  }
  properties.$ai_parent_id = parentSpanId ?? traceId
  setIfDefined(properties, '$ai_span_name', asString(reader.first('ai.toolCall.name')) ?? asString(span.name))
  setIfDefined(properties, '$ai_span_type', spanType)
  setIfDefined(properties, '$ai_session_id', sessionId)
  let provider = asString(reader.first(...PROVIDER_KEYS))
  if (provider !== undefined && isVercel) {
    // The Vercel AI SDK names the provider with its API: `openai.chat`, `anthropic.messages`.
    provider = provider.split('.')[0]
  }
  setIfDefined(properties, '$ai_provider', provider)
  setIfDefined(properties, '$ai_model_parameters', modelParameters(reader))
  setIfDefined(properties, '$ai_input', content.input)
  setIfDefined(properties, '$ai_output_choices', content.output)
  setIfDefined(properties, '$ai_input_state', content.inputState)
  setIfDefined(properties, '$ai_output_state', content.outputState)
  setIfDefined(properties, '$ai_tools', toolDefinitions(reader))
  for (const { property, keys, convert } of SCALAR_MAPPINGS) {
    setIfDefined(properties, property, convert(reader.first(...keys)))
  }
  setIfDefined(
    properties,
    '$ai_stop_reason',
    firstFinishReason(reader.first('gen_ai.response.finish_reasons', 'llm.finish_reason', 'ai.response.finishReason')) ??
      content.finishReason,
  )
  setIfDefined(properties, '$ai_latency', latencySeconds)
  const firstChunkMs = asNumber(reader.first('ai.response.msToFirstChunk', 'ai.stream.msToFirstChunk'))
  setIfDefined(
    properties,
    '$ai_time_to_first_token',
    asNumber(reader.first('gen_ai.response.time_to_first_chunk')) ??
      (firstChunkMs === undefined ? undefined : firstChunkMs / 1000),
  )
  if (isError) {
    const statusMessage = isJsonObject(span.status) ? asString(span.status.message) : undefined
    const exceptionMessage = asString(exceptions[0]?.event.properties?.$exception_message)
    properties.$ai_is_error = true
    properties.$ai_error = statusMessage ?? exceptionMessage ?? errorType ?? 'error'
    setIfDefined(properties, '$ai_error_type', errorType)
  }
  setIfDefined(properties, '$ai_lib', asString(resource.get('telemetry.sdk.name')))
  setIfDefined(properties, '$ai_lib_version', asString(resource.get('telemetry.sdk.version')))
  properties.$ai_ingestion_source = 'otel'
  setIfDefined(properties, '$service_name', serviceName)
  setIfDefined(properties, 'otel.scope.name', context.scopeName)
  setIfDefined(properties, 'otel.scope.version', context.scopeVersion)
  if (userId === undefined) {
    properties.$process_person_profile = false
  }
  setIfDefined(properties, '$exception_event_id', exceptions[0]?.event.uuid)

  let kept = 0
  for (const [key, value] of reader.attributes) {
    if (kept >= MAX_KEPT_ATTRIBUTES) {
      break
    }
    if (reader.used.has(key) || key in properties || UNKEPT_PREFIXES.some((prefix) => key.startsWith(prefix))) {
      continue
    }
    properties[key] = value
    kept++
  }

  const event: CaptureInput = {
    event: eventName,
    uuid: deterministicUuid(`${traceId}:${spanId}`),
    distinct_id: userId ?? traceId,
    properties,
  }
  if (timestamp !== undefined) {
    event.timestamp = timestamp
  }
  sink.event(event, at)
  for (const exception of exceptions) {
    sink.event(exception.event, `${at}.events[${exception.index}]`)
  }
}

/**
 * Reads one OTLP/JSON `ExportTraceServiceRequest` (`{resourceSpans: [{resource,
 * scopeSpans: [{scope, spans}]}]}`) and maps each span. Unknown fields are ignored, as the
 * OTLP spec requires; snake_case field names and the pre-1.0 `instrumentationLibrarySpans`
 * are accepted too. Logs and metrics documents are reported, not imported.
 */
export function readTraceRequest(document: unknown, locationPrefix: string, sink: ImportSink): void {
  const at = (path: string): string => (locationPrefix ? `${locationPrefix}, ${path}` : path)
  if (!isJsonObject(document)) {
    sink.problem(locationPrefix || 'document', `expected an OTLP/JSON trace request object, got ${describeJsonType(document)}`)
    return
  }
  const resourceSpans = document.resourceSpans ?? document.resource_spans
  if (!Array.isArray(resourceSpans)) {
    const signal = 'resourceLogs' in document ? 'logs' : 'resourceMetrics' in document ? 'metrics' : undefined
    sink.problem(
      locationPrefix || 'document',
      signal
        ? `OTLP ${signal} are not imported: only traces ({"resourceSpans": [...]})`
        : 'expected an OTLP/JSON ExportTraceServiceRequest ({"resourceSpans": [...]})',
    )
    return
  }
  resourceSpans.forEach((resourceEntry: unknown, resourceIndex) => {
    const resourcePath = `resourceSpans[${resourceIndex}]`
    if (!isJsonObject(resourceEntry)) {
      sink.problem(at(resourcePath), `expected an object, got ${describeJsonType(resourceEntry)}`)
      return
    }
    const resource = decodeAttributes(isJsonObject(resourceEntry.resource) ? resourceEntry.resource.attributes : undefined)
    const scopeSpans =
      resourceEntry.scopeSpans ?? resourceEntry.scope_spans ?? resourceEntry.instrumentationLibrarySpans
    if (!Array.isArray(scopeSpans)) {
      if (scopeSpans !== undefined) {
        sink.problem(at(`${resourcePath}.scopeSpans`), `expected an array, got ${describeJsonType(scopeSpans)}`)
      }
      return
    }
    scopeSpans.forEach((scopeEntry: unknown, scopeIndex) => {
      const scopePath = `${resourcePath}.scopeSpans[${scopeIndex}]`
      if (!isJsonObject(scopeEntry)) {
        sink.problem(at(scopePath), `expected an object, got ${describeJsonType(scopeEntry)}`)
        return
      }
      const scope = scopeEntry.scope ?? scopeEntry.instrumentationLibrary
      const spans = scopeEntry.spans
      if (!Array.isArray(spans)) {
        if (spans !== undefined) {
          sink.problem(at(`${scopePath}.spans`), `expected an array, got ${describeJsonType(spans)}`)
        }
        return
      }
      const context = {
        resource,
        scopeName: isJsonObject(scope) ? asString(scope.name) : undefined,
        scopeVersion: isJsonObject(scope) ? asString(scope.version) : undefined,
      }
      spans.forEach((span: unknown, spanIndex) => {
        mapSpan(span, { ...context, location: at(`${scopePath}.spans[${spanIndex}]`) }, sink)
      })
    })
  })
}

/** The `otlp-json` parser: one trace request document, or JSON Lines of them (streamed). */
export function createOtlpJsonParser(sink: ImportSink, maxLineChars: number = DEFAULT_MAX_RECORD_CHARS): TextParser {
  return createJsonDocumentsParser(sink, (document, prefix) => readTraceRequest(document, prefix, sink), maxLineChars)
}
