/**
 * One message model for every dialect the trace viewer renders. Everything is plain
 * strings: no HTML, no binary data (media are placeholders).
 */

/** Who wrote a message. Provider roles map onto these: `developer` → system, `model` → assistant, `function` → tool. */
export type ChatRole = 'system' | 'user' | 'assistant' | 'tool' | 'unknown'

/** Plain text. */
export interface ChatTextPart {
  /** Discriminant. */
  type: 'text'
  /** The text, as written (may be markdown; never rendered as HTML). */
  text: string
}

/** Model reasoning: Anthropic thinking, OpenAI reasoning summaries, Gemini thoughts, Vercel reasoning. */
export interface ChatReasoningPart {
  /** Discriminant. */
  type: 'reasoning'
  /** The reasoning text; empty when redacted. */
  text: string
  /** The provider withheld the reasoning (Anthropic `redacted_thinking`, encrypted OpenAI reasoning). @default undefined (not redacted) */
  redacted?: boolean
}

/** A call the model asked for. */
export interface ChatToolCallPart {
  /** Discriminant. */
  type: 'tool-call'
  /** Call id that the tool result points back at (`call_…`, `toolu_…`). @default undefined (the dialect gave none) */
  id?: string
  /** Tool name; empty when the dialect gave none. */
  name: string
  /** Arguments as JSON text, ready to pretty-print; kept raw when the model wrote invalid JSON. */
  argumentsJson: string
}

/** What a tool returned. */
export interface ChatToolResultPart {
  /** Discriminant. */
  type: 'tool-result'
  /** Id of the call this answers. @default undefined (the dialect gave none) */
  toolCallId?: string
  /** Tool name, when the dialect carries it (Gemini, Vercel). @default undefined */
  name?: string
  /** The result as text: strings as they are, structured results as JSON. */
  text: string
  /** The tool reported a failure. @default undefined (not an error) */
  isError?: boolean
}

/** An image, audio clip, document or other file: described, never carried. */
export interface ChatMediaPart {
  /** Discriminant. */
  type: 'media'
  /** Media type such as `image/png`; `image/*` when only the kind is known. */
  mediaType: string
  /** What to show instead of the bytes: `[image/png base64, 48.2 kB]`, `[image/jpeg: https://…]`. */
  placeholder: string
  /** Size of the data in bytes, when known. @default undefined (unknown, e.g. a URL) */
  byteSize?: number
}

/** A part no dialect rule recognised, as compact JSON (base64 replaced, long strings cut). */
export interface ChatUnknownPart {
  /** Discriminant. */
  type: 'unknown'
  /** The part as JSON text. */
  json: string
}

/** One part of a message. */
export type ChatPart = ChatTextPart | ChatReasoningPart | ChatToolCallPart | ChatToolResultPart | ChatMediaPart | ChatUnknownPart

/** One message in the common model. */
export interface ChatMessage {
  /** Who wrote it. A user message holding only tool results (Anthropic, Gemini) is a `tool` message. */
  role: ChatRole
  /** Its parts, in order. */
  parts: ChatPart[]
  /** Author or tool name, when the dialect carries one (`name` of OpenAI messages). @default undefined */
  name?: string
}

/** Message dialects {@link detectMessageDialect} tells apart. */
export type MessageDialect =
  | 'openai-chat'
  | 'openai-responses'
  | 'anthropic'
  | 'gemini'
  | 'vercel-ai'
  | 'posthog'
  | 'otel-genai'
  | 'text'
  | 'empty'
  | 'unknown'

/** Hints for reading messages. */
export interface MessageHint {
  /** `$ai_provider` of the event; breaks ties when the shape fits several dialects. @default undefined */
  provider?: string
  /** Role of bare strings and role-less parts: `user` for inputs, `assistant` for outputs. @default 'user' */
  defaultRole?: ChatRole
}
