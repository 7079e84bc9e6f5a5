import { takeCallOptions } from './callOptions'
import { assertCaptureTarget } from './capture'
import { startGeneration, type EndpointAdapter, type GenerationRecording } from './generation'
import type { CallOptions, ObserveOptions } from './instrument.types'
import { asRecord, asString, instrumentProblem, readPath, reportProblem, type JsonRecord } from './instrument.utils'
import { chatCompletionsAdapter, completionsAdapter, embeddingsAdapter, responsesAdapter } from './openai.utils'
import { SseReader } from './sse'

/** A `fetch`-compatible function. */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>

/** Options of {@link observeFetch}. */
export interface ObserveFetchOptions extends ObserveOptions {
  /**
   * Which requests are LLM calls to capture; the others pass straight through.
   * @default a POST whose URL path ends with `/chat/completions`, `/completions`, `/embeddings` or `/responses`
   */
  match?: (url: URL, method: string) => boolean
}

/** OpenAI-compatible endpoints by the end of their path, most specific first. */
const ENDPOINTS: readonly { suffix: string; adapter: EndpointAdapter }[] = [
  { suffix: '/chat/completions', adapter: chatCompletionsAdapter },
  { suffix: '/completions', adapter: completionsAdapter },
  { suffix: '/embeddings', adapter: embeddingsAdapter },
  { suffix: '/responses', adapter: responsesAdapter },
]

function knownEndpoint(url: URL) {
  const path = url.pathname.replace(/\/+$/, '')
  return ENDPOINTS.find((endpoint) => path.endsWith(endpoint.suffix))
}

function defaultMatch(url: URL, method: string): boolean {
  return method === 'POST' && knownEndpoint(url) !== undefined
}

/** The endpoint of a matched request: by its path, else (a custom `match`) by the shape of its body. */
function endpointOf(url: URL, body: JsonRecord): { adapter: EndpointAdapter; baseURL: string } {
  const path = url.pathname.replace(/\/+$/, '')
  const known = knownEndpoint(url)
  if (known) {
    return { adapter: known.adapter, baseURL: url.origin + path.slice(0, -known.suffix.length) }
  }
  const adapter =
    body.messages !== undefined
      ? chatCompletionsAdapter
      : body.prompt !== undefined
        ? completionsAdapter
        : /embed/i.test(path)
          ? embeddingsAdapter
          : responsesAdapter
  return { adapter, baseURL: url.origin + path }
}

function isRequest(input: unknown): input is Request {
  return typeof Request !== 'undefined' && input instanceof Request
}

function requestUrl(input: RequestInfo | URL): URL | undefined {
  try {
    if (isRequest(input)) {
      return new URL(input.url)
    }
    const base = asString(readPath(globalThis, 'location', 'href'))
    return new URL(String(input), base)
  } catch {
    return undefined
  }
}

/**
 * Starts reading the request's JSON body without consuming it: a Request is cloned at once,
 * before the request is sent. Resolves `undefined` for bodies that are not JSON objects.
 */
function readRequestJson(input: RequestInfo | URL, init: RequestInit | undefined): Promise<JsonRecord | undefined> {
  const body = init?.body
  let text: Promise<string> | string | undefined
  if (typeof body === 'string') {
    text = body
  } else if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) {
    text = new TextDecoder().decode(body)
  } else if (typeof Blob !== 'undefined' && body instanceof Blob) {
    text = body.text()
  } else if ((body === undefined || body === null) && isRequest(input) && input.body !== null && !input.bodyUsed) {
    text = input.clone().text()
  }
  return Promise.resolve(text).then(
    (json) => (json === undefined ? undefined : asRecord(JSON.parse(json))),
    () => undefined,
  ).catch(() => undefined)
}

/** A failed HTTP response described like an SDK's APIError, for `$ai_error`. */
function httpError(response: Response, bodyText: string): Record<string, unknown> {
  let body: unknown
  try {
    body = JSON.parse(bodyText)
  } catch {
    body = undefined
  }
  const detail = asRecord(readPath(body, 'error')) ?? asRecord(body)
  return {
    name: 'APIError',
    message: asString(detail?.message) ?? (bodyText.slice(0, 500) || `${response.status} ${response.statusText}`.trim()),
    status: response.status,
    type: asString(detail?.type),
    code: detail?.code,
  }
}

/**
 * Wraps `fetch` so that calls to OpenAI-compatible endpoints (`/chat/completions`,
 * `/completions`, `/embeddings`, `/responses` under any base URL, or what `options.match`
 * selects) capture the same `$ai_generation` / `$ai_embedding` as `observeOpenAI`, read from
 * the request's JSON body and the response (JSON, or a `data: {...}` event stream).
 *
 * The caller's response is never consumed: a JSON response is returned as it is and read
 * through `response.clone()`; an event stream is returned as a Response with the same status,
 * headers, `url` and chunks (the same Uint8Array objects, in order), read as the caller
 * reads it, so cancelling its body cancels the request and is captured as a cancelled
 * stream. Other requests, and network errors, pass through untouched.
 *
 * Per-call options go in the init: `fetch(url, withAiscope({ method: 'POST', body }, { traceId }))`.
 * Give it to an SDK as its `fetch` option to capture what the SDK wrappers do not cover.
 */
export function observeFetch<Fetch extends FetchLike>(fetchImpl: Fetch, options: ObserveFetchOptions): Fetch {
  assertCaptureTarget(options?.target, 'observeFetch')
  const match = options.match ?? defaultMatch

  const observedFetch = (input: RequestInfo | URL, rawInit?: RequestInit): Promise<Response> => {
    const { params: init, call } = takeCallOptions(rawInit)
    const url = requestUrl(input)
    let matched = false
    try {
      const method = String(init?.method ?? (isRequest(input) ? input.method : 'GET')).toUpperCase()
      matched = url !== undefined && match(url, method)
    } catch (error) {
      reportProblem(options.onError, instrumentProblem('observeFetch match threw; the request was not observed', error))
    }
    if (!matched || !url) {
      return fetchImpl(input, init)
    }
    return observeRequest(fetchImpl, input, init, url, options, call)
  }
  return observedFetch as Fetch
}

async function observeRequest(
  fetchImpl: FetchLike,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  url: URL,
  options: ObserveFetchOptions,
  call: CallOptions | undefined,
): Promise<Response> {
  const body = await readRequestJson(input, init)
  let recording: GenerationRecording | undefined
  if (body) {
    try {
      const { adapter, baseURL } = endpointOf(url, body)
      recording = startGeneration(options, call, adapter, body, baseURL)
    } catch (error) {
      reportProblem(options.onError, instrumentProblem('could not start recording a fetch call', error))
    }
  }
  if (!recording) {
    return fetchImpl(input, init)
  }
  let response: Response
  try {
    response = await fetchImpl(input, init)
  } catch (error) {
    recording.fail(error)
    throw error
  }
  recording.remember(response)
  return observeResponse(response, recording, body?.stream === true)
}

function observeResponse(response: Response, recording: GenerationRecording, streamRequested: boolean): Response {
  const contentType = response.headers.get('content-type') ?? ''
  try {
    if (!response.ok) {
      response
        .clone()
        .text()
        .then(
          (text) => recording.fail(httpError(response, text)),
          () => recording.fail(httpError(response, '')),
        )
      return response
    }
    if (response.body && (contentType.includes('text/event-stream') || (streamRequested && !contentType.includes('json')))) {
      return tapEventStream(response, recording)
    }
    response
      .clone()
      .text()
      .then(
        (text) => {
          let json: unknown
          try {
            json = text === '' ? undefined : JSON.parse(text)
          } catch {
            json = undefined
          }
          recording.succeed(json, response)
        },
        (error: unknown) => recording.fail(error),
      )
  } catch (error) {
    // A response that cannot be cloned (its body already used by another wrapper) is returned unobserved.
    recording.fail(error)
  }
  return response
}

/**
 * A Response equal to `response` whose body passes the very same chunks through while
 * reading them as server-sent events. Pull-based: nothing is read ahead of the caller, and
 * cancelling the caller's body cancels the original one.
 */
function tapEventStream(response: Response, recording: GenerationRecording): Response {
  const source = response.body as ReadableStream<Uint8Array>
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  const events = new SseReader()
  const consume = (parsed: ReturnType<SseReader['push']>) => {
    for (const event of parsed) {
      if (event.data === '[DONE]') {
        continue
      }
      try {
        recording.chunk(JSON.parse(event.data))
      } catch {
        // A line that is not JSON (a keep-alive, a comment) carries nothing to record.
      }
    }
  }
  const body = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= source.getReader()
        let result: ReadableStreamReadResult<Uint8Array>
        try {
          result = await reader.read()
        } catch (error) {
          recording.finishStream('error', error)
          controller.error(error)
          return
        }
        if (result.done) {
          consume(events.end())
          recording.finishStream('done')
          controller.close()
          return
        }
        try {
          consume(events.push(result.value))
        } catch {
          // Decoding is best effort; the caller's bytes are unaffected.
        }
        controller.enqueue(result.value)
      },
      cancel(reason) {
        recording.finishStream('cancelled')
        return (reader ?? source).cancel(reason)
      },
    },
    { highWaterMark: 0 },
  )
  const observed = new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers })
  // What the Response constructor cannot set is copied over, so the caller sees the original's.
  for (const key of ['url', 'redirected', 'type'] as const) {
    Object.defineProperty(observed, key, { value: response[key], enumerable: true, configurable: true })
  }
  recording.beginStream(observed, response)
  return observed
}
