import type { CallOptions, GenerationInfo } from './instrument.types'
import { asRecord } from './instrument.utils'

/**
 * The key under which {@link withAiscope} attaches per-call options. A registered symbol, so
 * two copies of aiscope in one bundle understand each other. `JSON.stringify` skips symbol
 * keys, so even an SDK the wrapper does not know would never send it.
 */
export const AISCOPE_CALL: unique symbol = Symbol.for('aiscope.call') as never

/** The plain-JavaScript spelling of per-call options: `create({ model, messages, aiscope: {...} })`. */
const CALL_OPTIONS_KEY = 'aiscope'

/**
 * Attaches aiscope options to one call's params (an SDK `create` body, or a `fetch` init) and
 * returns a shallow copy carrying them; the wrapper removes them before the SDK sees the params.
 * The result has the params' own type, so SDK overloads (`stream: true` → a Stream) still resolve.
 *
 * ```ts
 * const completion = await openai.chat.completions.create(
 *   withAiscope({ model: 'gpt-4o-mini', messages }, { ...span.context, generationId }),
 * )
 * ```
 */
export function withAiscope<Params extends object>(params: Params, options: CallOptions): Params {
  return { ...params, [AISCOPE_CALL]: options }
}

/**
 * Splits a call's params into what goes to the SDK and aiscope's per-call options. Params
 * without aiscope options come back as the same object.
 */
export function takeCallOptions<Params>(params: Params): { params: Params; call: CallOptions | undefined } {
  const record = asRecord(params)
  if (!record || (!Object.hasOwn(record, AISCOPE_CALL) && !Object.hasOwn(record, CALL_OPTIONS_KEY))) {
    return { params, call: undefined }
  }
  const { [AISCOPE_CALL]: bySymbol, [CALL_OPTIONS_KEY]: byKey, ...rest } = record as Record<PropertyKey, unknown>
  const call = { ...asRecord(byKey), ...asRecord(bySymbol) } as CallOptions
  return { params: rest as Params, call }
}

/** Generations by the object the caller received (a completion, a Stream, a Response or an error). */
const generationsByResult = new WeakMap<object, GenerationInfo>()

/** Remembers which generation produced `result`, for {@link generationIdOf}. */
export function rememberGeneration(result: unknown, generation: GenerationInfo): void {
  if ((typeof result === 'object' && result !== null) || typeof result === 'function') {
    generationsByResult.set(result, generation)
  }
}

/**
 * The `$ai_generation_id` of the event captured for a wrapped call, looked up by what the
 * call returned (the completion or message object, the Stream, the Response from
 * `observeFetch`) or threw. A Stream has its id as soon as it is returned, before its event
 * is captured at its end.
 *
 * ```ts
 * const completion = await openai.chat.completions.create({ model, messages })
 * trackInteraction(aiscope, 'copied', { generationId: generationIdOf(completion) })
 * ```
 */
export function generationIdOf(result: unknown): string | undefined {
  if ((typeof result === 'object' && result !== null) || typeof result === 'function') {
    return generationsByResult.get(result)?.generationId
  }
  return undefined
}
