'use client'
import { useMemo, type ComponentProps, type ReactNode } from 'react'
import type { TraceResult } from '../../query'
import { priceEvent, type EventCost, type PriceOverride } from '../../pricing'
import { toChatMessages } from '../../schema/messages'
import { joinClassNames } from '../controls/controls.utils'
import { formatCount, formatDateTime, formatMs, formatSeconds, formatUsd } from '../format'
import { ChatTranscript } from './ChatTranscript'
import { JsonView } from './JsonView'
import {
  errorText,
  evaluationResult,
  modelParameters,
  nodeIdAt,
  nodeKindOf,
  nodeLabel,
  tokensByKind,
  type NodeEvents,
  type TraceNodeKind,
} from './traceViewer.utils'
import { stringAt } from '../../query/traceStrings'

const KIND_LABELS: Record<TraceNodeKind, string> = {
  trace: 'Trace',
  span: 'Span',
  generation: 'Generation',
  embedding: 'Embedding',
  other: 'Event',
}

/** The content of a node, as the detail reads it: loading, loaded, or unavailable. */
export type NodeContent =
  | { state: 'loading' }
  | { state: 'error'; error: Error }
  | {
      state: 'ready'
      /** The node's event and what is attached to it. */
      events: NodeEvents
      /** Why evaluations were not looked up (a trace too large to read whole), if so. */
      evaluationsNote?: string
    }

/** Props of {@link SpanDetail}. */
export interface SpanDetailProps extends Omit<ComponentProps<'div'>, 'content'> {
  trace: TraceResult
  /** Pre-order position of the node shown. */
  position: number
  content: NodeContent
  /** The host's price overrides, so the detail can say which rule priced a call. @default [] */
  priceOverrides?: readonly PriceOverride[]
}

/**
 * Everything about one node of a trace: what it is, its model and provider, parameters,
 * tokens by kind, cost and which rule priced it, latency, time to first token, status and
 * error, prompt name and version, evaluations and user interactions, then its input and
 * output as a chat transcript (or its state as JSON) and the raw event. One `<div>`;
 * `data-kind` and `data-status` say what it shows.
 */
export function SpanDetail({ trace, position, content, priceOverrides, className, ...props }: SpanDetailProps) {
  const kind = nodeKindOf(stringAt(trace.eventNames, position) ?? undefined)
  const isError = trace.isError[position] === 1
  const event = content.state === 'ready' ? content.events.event : undefined
  const properties = event?.properties ?? EMPTY_PROPERTIES
  const isCall = kind === 'generation' || kind === 'embedding'
  const cost = useMemo(
    () => (event && isCall ? priceEvent(event.properties, { overrides: priceOverrides ?? [] }) : undefined),
    [event, isCall, priceOverrides],
  )
  const ownCostUsd = trace.ownCostUsd[position] as number
  const startMs = trace.startMs[position] as number
  const tokens = tokensByKind(properties)
  const parameters = modelParameters(properties)
  const error = isError ? errorText(properties) : null
  const promptName = textOf(properties.$ai_prompt_name)
  const promptVersion = textOf(properties.$ai_prompt_version)
  const spanType = textOf(properties.$ai_span_type)
  const httpStatus = typeof properties.$ai_http_status === 'number' ? properties.$ai_http_status : null

  return (
    <div className={joinClassNames('aiscope-SpanDetail', className)} data-kind={kind} data-status={isError ? 'error' : 'ok'} {...props}>
      <h3 className="aiscope-SpanTitle">
        <span className="aiscope-KindBadge" data-kind={kind}>
          {KIND_LABELS[kind]}
        </span>{' '}
        {nodeLabel(trace, position)}
      </h3>
      <dl className="aiscope-Facts">
        <Fact term="Type">{spanType ? `${KIND_LABELS[kind]} (${spanType})` : KIND_LABELS[kind]}</Fact>
        {stringAt(trace.models, position) ? <Fact term="Model">{stringAt(trace.models, position)}</Fact> : null}
        {textOf(properties.$ai_provider) ? <Fact term="Provider">{textOf(properties.$ai_provider)}</Fact> : null}
        <Fact term="Started">
          {formatDateTime(startMs)} (+{formatMs(startMs - trace.traceStartMs)})
        </Fact>
        <Fact term="Latency">{formatSeconds(latencyOf(trace, position))}</Fact>
        {Number.isFinite(trace.ttftS[position]) ? <Fact term="Time to first token">{formatSeconds(trace.ttftS[position])}</Fact> : null}
        {isCall ? (
          <>
            <Fact term="Input tokens">{formatCount(tokens.input)}</Fact>
            <Fact term="Output tokens">{formatCount(tokens.output)}</Fact>
            {tokens.cacheRead !== null ? <Fact term="Cache read tokens">{formatCount(tokens.cacheRead)}</Fact> : null}
            {tokens.cacheWrite !== null ? <Fact term="Cache write tokens">{formatCount(tokens.cacheWrite)}</Fact> : null}
            {tokens.reasoning !== null ? <Fact term="Reasoning tokens">{formatCount(tokens.reasoning)}</Fact> : null}
            <Fact term="Cost">
              {formatUsd(ownCostUsd)}
              {cost ? <span className="aiscope-CostSource"> · {costSource(cost, ownCostUsd)}</span> : null}
            </Fact>
          </>
        ) : (
          <>
            <Fact term="Tokens in / out">
              {formatCount(trace.rolledInputTokens[position])} / {formatCount(trace.rolledOutputTokens[position])}
            </Fact>
            <Fact term="Cost of its calls">
              {formatUsd(trace.rolledCostUsd[position])}
              {(trace.subtreeUnknownCostCount[position] ?? 0) > 0 ? (
                <span className="aiscope-Unpriced"> +{formatCount(trace.subtreeUnknownCostCount[position])} unpriced</span>
              ) : null}
            </Fact>
          </>
        )}
        <Fact term="Status">
          <span data-status={isError ? 'error' : 'ok'}>
            {isError ? 'Error' : 'OK'}
            {httpStatus !== null ? ` (HTTP ${httpStatus})` : null}
          </span>
        </Fact>
        {error !== null ? <Fact term="Error">{error}</Fact> : null}
        {promptName !== undefined ? <Fact term="Prompt">{promptVersion === undefined ? promptName : `${promptName} v${promptVersion}`}</Fact> : null}
        {parameters.length > 0 ? (
          <Fact term="Parameters">
            {parameters.map(([name, value]) => (
              <span key={name} className="aiscope-Parameter">
                {name}: {value}
              </span>
            ))}
          </Fact>
        ) : null}
        <Fact term="Node id">
          <code>{nodeIdAt(trace, position)}</code>
        </Fact>
      </dl>
      {content.state === 'loading' ? (
        <p role="status" className="aiscope-DetailNote">
          Loading inputs and outputs…
        </p>
      ) : null}
      {content.state === 'error' ? (
        <p role="alert" className="aiscope-DetailNote">
          Could not load this span’s content: {content.error.message}
        </p>
      ) : null}
      {content.state === 'ready' ? (
        <NodeContentSections kind={kind} events={content.events} evaluationsNote={content.evaluationsNote} />
      ) : null}
    </div>
  )
}
SpanDetail.displayName = 'TraceViewer.Detail'

const EMPTY_PROPERTIES: Record<string, unknown> = {}

function NodeContentSections({ kind, events, evaluationsNote }: { kind: TraceNodeKind; events: NodeEvents; evaluationsNote: string | undefined }) {
  const { event, evaluations, interactions } = events
  if (event === undefined) {
    return (
      <p role="status" className="aiscope-DetailNote">
        The store no longer holds this span’s event.
      </p>
    )
  }
  const properties = event.properties
  const provider = textOf(properties.$ai_provider)
  const isCall = kind === 'generation' || kind === 'embedding'
  return (
    <>
      <section className="aiscope-DetailSection" aria-label="Evaluations">
        <h4>Evaluations</h4>
        {evaluationsNote ? <p className="aiscope-DetailNote">{evaluationsNote}</p> : null}
        {!evaluationsNote && evaluations.length === 0 ? <p className="aiscope-DetailNote">None.</p> : null}
        {evaluations.length > 0 ? (
          <ul className="aiscope-Annotations">
            {evaluations.map((evaluation) => (
              <li key={evaluation.uuid}>
                <strong>{textOf(evaluation.properties.$ai_evaluation_name) ?? 'evaluation'}</strong>: {evaluationResult(evaluation)}
                {textOf(evaluation.properties.$ai_evaluation_reasoning) ? <span> · {textOf(evaluation.properties.$ai_evaluation_reasoning)}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </section>
      <section className="aiscope-DetailSection" aria-label="User interactions">
        <h4>User interactions</h4>
        {interactions.length === 0 ? (
          <p className="aiscope-DetailNote">None.</p>
        ) : (
          <ul className="aiscope-Annotations">
            {interactions.map((interaction) => (
              <li key={interaction.uuid} data-interaction={textOf(interaction.properties.$ai_interaction)}>
                <strong>{textOf(interaction.properties.$ai_interaction) ?? 'interaction'}</strong> at {formatDateTime(Date.parse(interaction.timestamp))}
                {typeof interaction.properties.$ai_edit_distance === 'number' ? ` (edit distance ${interaction.properties.$ai_edit_distance})` : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      {isCall ? (
        <>
          <ContentSection title="Input" value={properties.$ai_input} provider={provider} defaultRole="user" />
          <ContentSection title="Output" value={properties.$ai_output_choices ?? properties.$ai_output} provider={provider} defaultRole="assistant" />
          {Array.isArray(properties.$ai_tools) && properties.$ai_tools.length > 0 ? (
            <JsonView value={properties.$ai_tools} label={`Tools offered (${properties.$ai_tools.length})`} />
          ) : null}
        </>
      ) : (
        <>
          <StateSection title="Input" value={properties.$ai_input_state} />
          <StateSection title="Output" value={properties.$ai_output_state} />
        </>
      )}
      <JsonView value={event} label="Raw event JSON" />
    </>
  )
}

function ContentSection({
  title,
  value,
  provider,
  defaultRole,
}: {
  title: string
  value: unknown
  provider: string | undefined
  defaultRole: 'user' | 'assistant'
}) {
  const messages = useMemo(() => (value == null ? [] : toChatMessages(value, { provider, defaultRole })), [value, provider, defaultRole])
  return (
    <section className="aiscope-DetailSection" aria-label={title}>
      <h4>{title}</h4>
      {messages.length === 0 ? <p className="aiscope-DetailNote">Not recorded.</p> : <ChatTranscript messages={messages} />}
    </section>
  )
}

function StateSection({ title, value }: { title: string; value: unknown }) {
  return (
    <section className="aiscope-DetailSection" aria-label={title}>
      <h4>{title}</h4>
      {value == null ? (
        <p className="aiscope-DetailNote">Not recorded.</p>
      ) : (
        <pre className="aiscope-Code">
          <code>{typeof value === 'string' ? value : JSON.stringify(value, null, 2)}</code>
        </pre>
      )}
    </section>
  )
}

function Fact({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="aiscope-Fact">
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  )
}

/** The node's own latency, else the time its children took. */
function latencyOf(trace: TraceResult, position: number): number {
  const own = trace.ownLatencyS[position] as number
  return Number.isFinite(own) ? own : (trace.rolledLatencyS[position] as number)
}

const UNPRICED_REASONS = {
  'missing-model': 'no model was recorded',
  'unknown-model': 'the model is not in the price table',
  'missing-usage': 'no token counts were recorded',
} as const

/** Which rule priced a call, in words. The engine's cost wins: a difference means an override the host did not pass here. */
function costSource(cost: EventCost, engineCostUsd: number): string {
  const agrees = cost.totalCostUsd === null ? !Number.isFinite(engineCostUsd) : Math.abs(cost.totalCostUsd - engineCostUsd) < 1e-12
  if (!agrees) {
    return Number.isFinite(engineCostUsd) ? 'priced by a host price override' : 'not priced'
  }
  switch (cost.source) {
    case 'client-cost':
      return 'cost sent by the client'
    case 'client-token-price':
      return 'priced from the client’s token prices'
    case 'override':
      return 'priced by a host price override'
    case 'table':
      return `priced from the price table (${cost.priceTableVersion}${cost.modelId ? `, ${cost.modelId}` : ''})`
    case 'unknown':
      return `not priced: ${UNPRICED_REASONS[cost.reason]}`
    default:
      return cost satisfies never
  }
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined
}
