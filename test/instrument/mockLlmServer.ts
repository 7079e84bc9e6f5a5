/**
 * A local stand-in for the OpenAI and Anthropic HTTP APIs (node:http on 127.0.0.1, random
 * port), serving realistic bodies so the real SDKs run end to end. The `model` of a request
 * picks the scenario; every request and how its response ended is recorded.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as the server saw it. */
export interface RecordedRequest {
  method: string
  path: string
  headers: IncomingMessage['headers']
  body: string
  /** The client closed the connection before the response was complete (a cancelled stream). */
  abortedByClient: boolean
}

export interface MockLlmServer {
  /** `http://127.0.0.1:<port>` */
  origin: string
  /** Base URL for the OpenAI SDK: `<origin>/v1`. */
  openaiBaseURL: string
  requests: RecordedRequest[]
  close(): Promise<void>
}

/** Server-side delays, in ms. */
export const SLOW_DELAY_MS = 200
export const HANG_DELAY_MS = 3000
/** Pause between two streamed events, so time to first token and latency differ measurably. */
export const STREAM_GAP_MS = 15

// ---------------------------------------------------------------- OpenAI fixtures

export const WEATHER_TOOL = {
  type: 'function',
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
} as const

export const CHAT_USAGE = {
  prompt_tokens: 120,
  completion_tokens: 30,
  total_tokens: 150,
  prompt_tokens_details: { cached_tokens: 64, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
}

/** posthog.md §1.4: a completion with text, one tool call and a cache hit. */
export const CHAT_COMPLETION = {
  id: 'chatcmpl-abc123',
  object: 'chat.completion',
  created: 1764233377,
  model: 'gpt-4o-mini-2024-07-18',
  service_tier: 'default',
  system_fingerprint: 'fp_123',
  choices: [
    {
      index: 0,
      message: {
        role: 'assistant',
        content: 'Let me check.',
        refusal: null,
        tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }],
      },
      logprobs: null,
      finish_reason: 'tool_calls',
    },
  ],
  usage: CHAT_USAGE,
}

function chunk(delta: Record<string, unknown>, finishReason: string | null = null) {
  return {
    id: 'chatcmpl-stream1',
    object: 'chat.completion.chunk',
    created: 1764233377,
    model: 'gpt-4o-mini-2024-07-18',
    service_tier: 'default',
    system_fingerprint: 'fp_123',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    usage: null,
  }
}

/** A streamed answer: text in three deltas, one tool call whose arguments arrive in pieces, then usage. */
export const CHAT_CHUNKS: readonly Record<string, unknown>[] = [
  chunk({ role: 'assistant', content: '', refusal: null }),
  chunk({ content: 'Let me ' }),
  chunk({ content: 'check the ' }),
  chunk({ content: 'weather.' }),
  chunk({ tool_calls: [{ index: 0, id: 'call_9', type: 'function', function: { name: 'get_weather', arguments: '' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'ty":"Par' } }] }),
  chunk({ tool_calls: [{ index: 0, function: { arguments: 'is"}' } }] }),
  chunk({}, 'tool_calls'),
  { ...chunk({}), choices: [], usage: CHAT_USAGE },
]

/** Responses API: instructions + input in, a reasoning summary, text and a function call out. */
export const RESPONSE = {
  id: 'resp_123',
  object: 'response',
  created_at: 1764233377,
  status: 'completed',
  model: 'gpt-4.1-mini-2025-04-14',
  service_tier: 'default',
  output: [
    { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: 'User wants weather.' }] },
    {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text: 'Checking Paris.', annotations: [] }],
    },
    { id: 'fc_1', type: 'function_call', call_id: 'call_r1', name: 'get_weather', arguments: '{"city":"Paris"}', status: 'completed' },
  ],
  usage: {
    input_tokens: 200,
    input_tokens_details: { cached_tokens: 128 },
    output_tokens: 50,
    output_tokens_details: { reasoning_tokens: 12 },
    total_tokens: 250,
  },
  incomplete_details: null,
  error: null,
}

export const RESPONSE_EVENTS: readonly Record<string, unknown>[] = [
  { type: 'response.created', sequence_number: 0, response: { ...RESPONSE, status: 'in_progress', output: [], usage: null } },
  { type: 'response.output_item.added', sequence_number: 1, output_index: 0, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } },
  { type: 'response.output_text.delta', sequence_number: 2, output_index: 0, content_index: 0, item_id: 'msg_1', delta: 'Checking ' },
  { type: 'response.output_text.delta', sequence_number: 3, output_index: 0, content_index: 0, item_id: 'msg_1', delta: 'Paris.' },
  { type: 'response.completed', sequence_number: 4, response: RESPONSE },
]

/** The embedding vector the server returns, as the SDK decodes it. */
export const EMBEDDING_VECTOR = [0.5, -0.25, 0.125]

// ---------------------------------------------------------------- Anthropic fixtures

export const ANTHROPIC_TOOL = {
  name: 'get_weather',
  description: 'Current weather',
  input_schema: { type: 'object' as const, properties: { city: { type: 'string' } } },
}

export const ANTHROPIC_USAGE = {
  input_tokens: 21,
  cache_creation_input_tokens: 100,
  cache_read_input_tokens: 1800,
  output_tokens: 64,
}

export const ANTHROPIC_MESSAGE = {
  id: 'msg_01abc',
  type: 'message',
  role: 'assistant',
  model: 'claude-sonnet-5-5-20260101',
  content: [
    { type: 'text', text: 'I will look it up.' },
    { type: 'tool_use', id: 'toolu_01', name: 'get_weather', input: { city: 'Paris' } },
  ],
  stop_reason: 'tool_use',
  stop_sequence: null,
  usage: ANTHROPIC_USAGE,
}

/** Thinking, then text, then a tool call whose input JSON arrives in pieces. */
export const ANTHROPIC_EVENTS: readonly Record<string, unknown>[] = [
  {
    type: 'message_start',
    message: { ...ANTHROPIC_MESSAGE, id: 'msg_02stream', content: [], stop_reason: null, usage: { ...ANTHROPIC_USAGE, output_tokens: 1 } },
  },
  { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'The user wants ' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'the weather.' } },
  { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig==' } },
  { type: 'content_block_stop', index: 0 },
  { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'Looking ' } },
  { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'it up.' } },
  { type: 'content_block_stop', index: 1 },
  { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_02', name: 'get_weather', input: {} } },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '{"city": "Pa' } },
  { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: 'ris"}' } },
  { type: 'content_block_stop', index: 2 },
  { type: 'message_delta', delta: { stop_reason: 'tool_use', stop_sequence: null }, usage: { output_tokens: 87 } },
  { type: 'message_stop' },
]

// ---------------------------------------------------------------- server

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const wake = () => {
      clearTimeout(timer)
      signal.removeEventListener('abort', wake)
      resolve()
    }
    const timer = setTimeout(wake, ms)
    signal.addEventListener('abort', wake)
  })

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

async function sendEvents(
  res: ServerResponse,
  events: readonly { event?: string; data: string }[],
  signal: AbortSignal,
  headers: Record<string, string>,
) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...headers })
  for (const event of events) {
    await sleep(STREAM_GAP_MS, signal)
    if (signal.aborted) {
      return
    }
    res.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`)
  }
  res.end()
}

function base64Floats(values: readonly number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64')
}

async function handleOpenAI(path: string, body: Record<string, unknown>, res: ServerResponse, signal: AbortSignal) {
  const headers = { 'x-request-id': 'req_xyz' }
  const model = body.model
  if (model === 'rate-limited') {
    return sendJson(
      res,
      429,
      { error: { message: 'Rate limit reached for gpt-4o-mini on requests per min (RPM): Limit 3, Used 3.', type: 'requests', param: null, code: 'rate_limit_exceeded' } },
      headers,
    )
  }
  if (model === 'server-error') {
    return sendJson(res, 500, { error: { message: 'The server had an error while processing your request.', type: 'server_error', param: null, code: null } }, headers)
  }
  if (model === 'slow') {
    await sleep(SLOW_DELAY_MS, signal)
  }
  if (model === 'hang') {
    await sleep(HANG_DELAY_MS, signal)
    if (signal.aborted) {
      return
    }
  }
  if (path === '/v1/chat/completions') {
    if (body.stream === true) {
      const chunks = model === 'stream-error' ? [...CHAT_CHUNKS.slice(0, 3), { error: { message: 'Upstream overloaded', type: 'server_error' } }] : CHAT_CHUNKS
      return sendEvents(res, [...chunks.map((c) => ({ data: JSON.stringify(c) })), { data: '[DONE]' }], signal, headers)
    }
    return sendJson(res, 200, CHAT_COMPLETION, headers)
  }
  if (path === '/v1/responses') {
    if (body.stream === true) {
      return sendEvents(res, RESPONSE_EVENTS.map((e) => ({ event: String(e.type), data: JSON.stringify(e) })), signal, headers)
    }
    return sendJson(res, 200, RESPONSE, headers)
  }
  if (path === '/v1/embeddings') {
    const inputs = Array.isArray(body.input) ? body.input : [body.input]
    return sendJson(
      res,
      200,
      {
        object: 'list',
        model: 'text-embedding-3-small',
        data: inputs.map((_input, index) => ({
          object: 'embedding',
          index,
          embedding: body.encoding_format === 'base64' ? base64Floats(EMBEDDING_VECTOR) : EMBEDDING_VECTOR,
        })),
        usage: { prompt_tokens: 8, total_tokens: 8 },
      },
      headers,
    )
  }
  if (path === '/v1/completions') {
    return sendJson(
      res,
      200,
      {
        id: 'cmpl-1',
        object: 'text_completion',
        model: 'gpt-3.5-turbo-instruct',
        choices: [{ index: 0, text: 'Paris is sunny.', finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 },
      },
      headers,
    )
  }
  return sendJson(res, 404, { error: { message: `no route ${path}` } })
}

async function handleAnthropic(body: Record<string, unknown>, res: ServerResponse, signal: AbortSignal) {
  const headers = { 'request-id': 'req_ant_1' }
  if (body.model === 'rate-limited') {
    return sendJson(res, 429, { type: 'error', error: { type: 'rate_limit_error', message: 'Number of request tokens has exceeded your per-minute rate limit' } }, headers)
  }
  if (body.stream === true) {
    return sendEvents(res, ANTHROPIC_EVENTS.map((e) => ({ event: String(e.type), data: JSON.stringify(e) })), signal, headers)
  }
  return sendJson(res, 200, ANTHROPIC_MESSAGE, headers)
}

export async function startMockLlmServer(): Promise<MockLlmServer> {
  const requests: RecordedRequest[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (data: Buffer) => chunks.push(data))
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        abortedByClient: false,
      }
      requests.push(recorded)
      const controller = new AbortController()
      res.on('close', () => {
        if (!res.writableFinished) {
          recorded.abortedByClient = true
          controller.abort()
        }
      })
      let body: Record<string, unknown> = {}
      try {
        body = JSON.parse(recorded.body || '{}') as Record<string, unknown>
      } catch {
        return sendJson(res, 400, { error: { message: 'invalid JSON' } })
      }
      const path = (req.url ?? '/').split('?')[0] ?? '/'
      const handled = path === '/v1/messages' ? handleAnthropic(body, res, controller.signal) : handleOpenAI(path, body, res, controller.signal)
      handled.catch((error: unknown) => {
        if (!res.headersSent) {
          sendJson(res, 500, { error: { message: String(error) } })
        }
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    origin,
    openaiBaseURL: `${origin}/v1`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The JSON payloads of an SSE fixture as the server writes them, for comparing with what a caller reads. */
export function sseText(events: readonly Record<string, unknown>[], named: boolean): string {
  return (
    events.map((e) => `${named ? `event: ${String(e.type)}\n` : ''}data: ${JSON.stringify(e)}\n\n`).join('') + (named ? '' : 'data: [DONE]\n\n')
  )
}
