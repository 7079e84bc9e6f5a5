import { assertCaptureTarget } from './capture'
import type { ObserveOptions } from './instrument.types'
import { asString, readPath } from './instrument.utils'
import { chatCompletionsAdapter, completionsAdapter, embeddingsAdapter, responsesAdapter } from './openai.utils'
import { observeResource, overlay } from './sdkCall'

/**
 * The parts of an OpenAI SDK client the wrapper relies on. aiscope declares this shape itself
 * instead of importing the SDK's types, so hosts need no `openai` package to type-check
 * aiscope, and any SDK major version (or `AzureOpenAI`) fits; the wrapped client keeps the
 * SDK's own full type.
 */
export interface OpenAIClientLike {
  baseURL?: string
  chat?: { completions?: object }
  responses?: object
  embeddings?: object
  completions?: object
}

/**
 * Wraps an OpenAI SDK client (v4 to v6, `OpenAI` or `AzureOpenAI`) so that every
 * `chat.completions.create`, `responses.create`, `embeddings.create` and legacy
 * `completions.create` captures one `$ai_generation` (or `$ai_embedding`) into
 * `options.target`, with the properties `@posthog/ai` sends. The SDK helpers built on them
 * (`chat.completions.parse()` / `.stream()`, `responses.parse()` / `.stream()`) are captured too.
 *
 * The client is not modified: the result is a proxy where everything else is the client's own.
 * Calls return what the SDK returns (the same promise, result, Stream and error objects).
 * A call's event is captured when its result is parsed, when it fails, or, for a stream,
 * when the stream ends: read to its end, cancelled (`break`, `controller.abort()`, marked
 * `$ai_stream_cancelled: true`) or failed. A stream that is never read is not captured.
 * Capturing never throws into the call; problems go to `options.onError`.
 *
 * Per-call options (trace, parent span, user, privacy, a chosen generation id) go in
 * `withAiscope(params, options)`; `generationIdOf(result)` gives the generation id afterwards.
 *
 * ```ts
 * const openai = observeOpenAI(new OpenAI(), { target: aiscope, distinctId: user.id })
 * const completion = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages })
 * ```
 */
export function observeOpenAI<Client extends OpenAIClientLike>(client: Client, options: ObserveOptions): Client {
  assertCaptureTarget(options?.target, 'observeOpenAI')
  const baseURL = () => asString(readPath(client, 'baseURL'))
  const observedClient: Client = overlay(client, {
    bindMethods: true,
    replace: {
      chat: (chat) =>
        typeof chat === 'object' && chat !== null
          ? overlay(chat, {
              replace: {
                completions: (completions) =>
                  observeResource(completions, options, chatCompletionsAdapter, baseURL, () => observedClient),
              },
              client: () => observedClient,
            })
          : chat,
      responses: (responses) => observeResource(responses, options, responsesAdapter, baseURL, () => observedClient),
      embeddings: (embeddings) => observeResource(embeddings, options, embeddingsAdapter, baseURL, () => observedClient),
      completions: (completions) => observeResource(completions, options, completionsAdapter, baseURL, () => observedClient),
    },
  })
  return observedClient
}
