/**
 * Client-side instrumentation: wrappers for the OpenAI and Anthropic SDKs and for `fetch`
 * that capture PostHog-compatible `$ai_generation` / `$ai_embedding` events, explicit
 * tracing (`$ai_trace`, `$ai_span`), and user interactions with AI output. Nothing here
 * imports an SDK or touches a browser global at import time.
 */
export { observeOpenAI, type OpenAIClientLike } from './openai'
export { observeAnthropic, type AnthropicClientLike } from './anthropic'
export { observeFetch, type FetchLike, type ObserveFetchOptions } from './fetch'
export { AISCOPE_CALL, generationIdOf, withAiscope } from './callOptions'
export {
  startTrace,
  type EndOptions,
  type SpanHandle,
  type SpanOptions,
  type SpanParent,
  type TraceContext,
  type TraceHandle,
  type TraceOptions,
} from './tracing'
export { trackInteraction, type InteractionDetails, type InteractionResult } from './interaction'
export type { CallOptions, GenerationInfo, ObserveOptions } from './instrument.types'
