import { anthropicMessagesAdapter } from './anthropic.utils'
import { assertCaptureTarget } from './capture'
import type { ObserveOptions } from './instrument.types'
import { asString, readPath } from './instrument.utils'
import { observeResource, overlay } from './sdkCall'

/**
 * The parts of an Anthropic SDK client the wrapper relies on, declared here rather than
 * imported, for the same reasons as `OpenAIClientLike`.
 */
export interface AnthropicClientLike {
  baseURL?: string
  messages?: object
  beta?: { messages?: object }
}

/**
 * Wraps an Anthropic SDK client so that every `messages.create` (plain or `stream: true`),
 * `messages.stream()` and `messages.parse()`, and the same on `beta.messages`, captures one
 * `$ai_generation` into `options.target`: the `system` prompt first in `$ai_input`, text,
 * thinking and tool_use blocks in `$ai_output_choices`, cache reads and writes in their own
 * token counts with `$ai_cache_reporting_exclusive: true`.
 *
 * As with `observeOpenAI`, the client is not modified and calls return exactly what the SDK
 * returns; per-call options go in `withAiscope(params, options)`.
 */
export function observeAnthropic<Client extends AnthropicClientLike>(client: Client, options: ObserveOptions): Client {
  assertCaptureTarget(options?.target, 'observeAnthropic')
  const baseURL = () => asString(readPath(client, 'baseURL'))
  const observeMessages = (messages: unknown) =>
    observeResource(messages, options, anthropicMessagesAdapter, baseURL, () => observedClient)
  const observedClient: Client = overlay(client, {
    bindMethods: true,
    replace: {
      messages: observeMessages,
      beta: (beta) =>
        typeof beta === 'object' && beta !== null
          ? overlay(beta, { replace: { messages: observeMessages }, client: () => observedClient })
          : beta,
    },
  })
  return observedClient
}
