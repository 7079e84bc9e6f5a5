'use client'
import type { ComponentProps } from 'react'
import type { ChatMessage, ChatPart, ChatRole } from '../../schema/messages.types'
import { joinClassNames } from '../controls/controls.utils'
import { prettyJson } from './traceViewer.utils'

const ROLE_LABELS: Record<ChatRole, string> = {
  system: 'System',
  user: 'User',
  assistant: 'Assistant',
  tool: 'Tool',
  unknown: 'Message',
}

/** Props of {@link ChatTranscript}. */
export interface ChatTranscriptProps extends ComponentProps<'ol'> {
  /** Messages in the common model (`toChatMessages` from `aiscope/schema` reads every dialect into it). */
  messages: readonly ChatMessage[]
}

/**
 * A conversation as a list of messages, each labelled by role (`data-role`): text, tool
 * calls with their arguments pretty-printed, tool results, reasoning (folded), media as
 * placeholders. Everything is rendered as text: markup, markdown and links in model output
 * stay inert characters. One `<ol>`.
 */
export function ChatTranscript({ messages, className, ...props }: ChatTranscriptProps) {
  return (
    <ol className={joinClassNames('aiscope-Transcript', className)} {...props}>
      {messages.map((message, index) => (
        <ChatMessageItem key={index} message={message} />
      ))}
    </ol>
  )
}
ChatTranscript.displayName = 'TraceViewer.Transcript'

/** Props of {@link ChatMessageItem}. */
export interface ChatMessageItemProps extends ComponentProps<'li'> {
  message: ChatMessage
}

/** One message: one `<li>` with its role as `data-role`, a role label, then its parts. */
export function ChatMessageItem({ message, className, ...props }: ChatMessageItemProps) {
  return (
    <li className={joinClassNames('aiscope-Message', className)} data-role={message.role} {...props}>
      <p className="aiscope-MessageRole">
        {ROLE_LABELS[message.role]}
        {message.name ? <span className="aiscope-MessageName"> · {message.name}</span> : null}
      </p>
      {message.parts.map((part, index) => (
        <MessagePart key={index} part={part} />
      ))}
    </li>
  )
}
ChatMessageItem.displayName = 'TraceViewer.Message'

function MessagePart({ part }: { part: ChatPart }) {
  switch (part.type) {
    case 'text':
      return (
        <p className="aiscope-MessageText" data-part="text" style={{ whiteSpace: 'pre-wrap' }}>
          {part.text}
        </p>
      )
    case 'reasoning':
      return (
        <details className="aiscope-Reasoning" data-part="reasoning">
          <summary>Reasoning</summary>
          <p style={{ whiteSpace: 'pre-wrap' }}>{part.redacted ? 'Withheld by the provider.' : part.text}</p>
        </details>
      )
    case 'tool-call':
      return (
        <div className="aiscope-ToolCall" data-part="tool-call">
          <p className="aiscope-ToolHeading">
            Tool call: <code>{part.name || '(unnamed)'}</code>
            {part.id ? <span className="aiscope-ToolId"> ({part.id})</span> : null}
          </p>
          <pre className="aiscope-Code">
            <code>{prettyJson(part.argumentsJson)}</code>
          </pre>
        </div>
      )
    case 'tool-result':
      return (
        <div className="aiscope-ToolResult" data-part="tool-result" data-status={part.isError ? 'error' : 'ok'}>
          <p className="aiscope-ToolHeading">
            {part.isError ? 'Tool error' : 'Tool result'}
            {part.name ? (
              <>
                : <code>{part.name}</code>
              </>
            ) : null}
            {part.toolCallId ? <span className="aiscope-ToolId"> (for {part.toolCallId})</span> : null}
          </p>
          <pre className="aiscope-Code">
            <code>{prettyJson(part.text)}</code>
          </pre>
        </div>
      )
    case 'media':
      return (
        <p className="aiscope-Media" data-part="media" data-media-type={part.mediaType}>
          {part.placeholder}
        </p>
      )
    case 'unknown':
      return (
        <pre className="aiscope-Code" data-part="unknown">
          <code>{prettyJson(part.json)}</code>
        </pre>
      )
    default:
      part satisfies never
      return null
  }
}
