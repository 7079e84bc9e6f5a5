import type { Meta, StoryObj } from '@storybook/react-vite'
import type { ReactNode } from 'react'
import { createAiscope, type AiscopeClient } from '../src'
import { AiscopeProvider, GenerationsTable, TraceExplorer, TracesTable, TraceViewer } from '../src/react'
import type { AiscopeEvent } from '../src/schema'
import { generateEvents, seedStore } from '../src/testing'
import { deeplyNestedTrace, dialectTrace, largeTrace, type StoryDialect } from './TraceExplorer.data'

/**
 * The trace explorer: the trace list and the flat list of LLM calls over a shared filter
 * bar, and one trace as a tree beside its waterfall, with the chosen span's transcript and
 * figures. Every story reads through a real client (in-process, over this browser's
 * IndexedDB), seeded by the telemetry generator or with the traces in `TraceExplorer.data.ts`.
 */
const meta = {
  title: 'aiscope/TraceExplorer',
  component: TraceExplorer,
  parameters: { layout: 'padded' },
} satisfies Meta<typeof TraceExplorer>

export default meta
type Story = StoryObj<typeof meta>

/** Seed and size of the generated store: a few hundred traces, the same on every load. */
const SEED = { seed: 7, size: 2_000, endMs: Date.UTC(2026, 10, 27), days: 7 }

const clients = new Map<string, Promise<AiscopeClient>>()

/**
 * A client over its own IndexedDB store, filled once per page load: by the generator
 * (`'generated'`) or with the given events.
 */
function storyClient(name: string, events: 'generated' | (() => AiscopeEvent[])): Promise<AiscopeClient> {
  let client = clients.get(name)
  if (!client) {
    client = (async () => {
      const created = createAiscope({ dbName: `aiscope-story-${name}`, worker: 'off' })
      await created.clear()
      if (events === 'generated') {
        await seedStore(created, { ...SEED, batchSize: 1_000 })
      } else {
        const list = events()
        for (let start = 0; start < list.length; start += 2_000) {
          await created.ingest(list.slice(start, start + 2_000))
        }
      }
      return created
    })()
    clients.set(name, client)
  }
  return client
}

/** A real client whose queries never answer: what a panel shows while the worker is busy. */
function pendingClient(client: AiscopeClient): AiscopeClient {
  return new Proxy(client, {
    get: (target, key, receiver) => (key === 'query' ? () => new Promise(() => undefined) : Reflect.get(target, key, receiver)),
  })
}

/** A client that was closed: every query fails with the client's own error. */
async function closedClient(): Promise<AiscopeClient> {
  const client = createAiscope({ dbName: 'aiscope-story-closed', worker: 'off' })
  await client.close()
  return client
}

/** A trace of the generated store with nested spans, calls and an evaluation: what Default opens. */
const generatedTraceId = (() => {
  let chosen: string | undefined
  return () => {
    if (chosen === undefined) {
      const events = generateEvents(SEED)
      const evaluated = new Set(events.filter((event) => event.event === '$ai_evaluation').map((event) => event.properties.$ai_trace_id))
      const nested = events.find(
        (event) =>
          event.event === '$ai_generation' &&
          evaluated.has(event.properties.$ai_trace_id) &&
          event.properties.$ai_parent_id !== event.properties.$ai_trace_id,
      )
      chosen = String(nested?.properties.$ai_trace_id ?? events.find((event) => event.event === '$ai_trace')?.properties.$ai_trace_id)
    }
    return chosen
  }
})()

function WithClient({ client, children }: { client: AiscopeClient; children: ReactNode }) {
  return <AiscopeProvider client={client}>{children}</AiscopeProvider>
}

/** The generated support product: pick a trace or a call, read its spans, transcript and costs. */
export const Default: Story = {
  loaders: [async () => ({ client: await storyClient('generated', 'generated'), traceId: generatedTraceId() })],
  render: (args, { loaded }) => (
    <WithClient client={loaded.client}>
      <TraceExplorer defaultTraceId={loaded.traceId} {...args} />
    </WithClient>
  ),
}

/** A store with nothing in it yet. */
export const Empty: Story = {
  loaders: [async () => ({ client: await storyClient('empty', () => []) })],
  render: (args, { loaded }) => (
    <WithClient client={loaded.client}>
      <TraceExplorer {...args} />
    </WithClient>
  ),
}

/** The first page and the trace are still being read. */
export const Loading: Story = {
  loaders: [async () => ({ client: pendingClient(await storyClient('generated', 'generated')) })],
  render: (args, { loaded }) => (
    <WithClient client={loaded.client}>
      <TraceExplorer defaultTraceId="trace-being-read" {...args} />
    </WithClient>
  ),
}

/** The store cannot be read: the error is shown as text, with a way to try again. */
export const Error: Story = {
  loaders: [async () => ({ client: await closedClient() })],
  render: (args, { loaded }) => (
    <WithClient client={loaded.client}>
      <TraceExplorer defaultTraceId="trace-unreadable" {...args} />
    </WithClient>
  ),
}

/** A 10,000-span agent run: the tree and waterfall render only the rows in view. */
export const Large: Story = {
  loaders: [async () => ({ client: await storyClient('large', () => largeTrace(10_000)) })],
  render: (_args, { loaded }) => (
    <WithClient client={loaded.client}>
      <TraceViewer traceId="trace-large" defaultSelectedSpanId="loop-0-call-7" />
    </WithClient>
  ),
}

/** The same run capped at 2,000 spans: the viewer says how many it loaded. */
export const LargeCapped: Story = {
  loaders: Large.loaders,
  render: (_args, { loaded }) => (
    <WithClient client={loaded.client}>
      <TraceViewer traceId="trace-large" maxSpans={2_000} />
    </WithClient>
  ),
}

/** A chain of 60 nested spans: indentation stops growing, the keyboard still walks it. */
export const DeeplyNested: Story = {
  loaders: [async () => ({ client: await storyClient('deep', () => deeplyNestedTrace(60)) })],
  render: (_args, { loaded }) => (
    <WithClient client={loaded.client}>
      <TraceViewer traceId="trace-deep" defaultSelectedSpanId="deep-call" />
    </WithClient>
  ),
}

function dialectStory(dialect: StoryDialect): Story {
  return {
    loaders: [async () => ({ client: await storyClient(`dialect-${dialect}`, () => dialectTrace(dialect)) })],
    render: (_args, { loaded }) => (
      <WithClient client={loaded.client}>
        <TraceViewer traceId={`trace-${dialect}`} defaultSelectedSpanId={`trace-${dialect}-call`} />
      </WithClient>
    ),
  }
}

/** Messages in OpenAI's chat format: system, an image, a tool call and its result. */
export const DialectOpenAIChat = dialectStory('openai-chat')
/** OpenAI Responses items: developer instructions, function call and output, a reasoning summary. */
export const DialectOpenAIResponses = dialectStory('openai-responses')
/** Anthropic content blocks: image, tool_use, tool_result, thinking. */
export const DialectAnthropic = dialectStory('anthropic')
/** Gemini contents: system instruction, functionCall, functionResponse, thought. */
export const DialectGemini = dialectStory('gemini')
/** Vercel AI SDK messages: image, tool-call, tool-result, reasoning. */
export const DialectVercelAI = dialectStory('vercel-ai')

/** The flat list of LLM calls, on its own. */
export const Generations: Story = {
  loaders: [async () => ({ client: await storyClient('generated', 'generated') })],
  render: (_args, { loaded }) => (
    <WithClient client={loaded.client}>
      <GenerationsTable />
    </WithClient>
  ),
}

/** Every state of the list and the viewer side by side, for review at a glance. */
export const AllStates: Story = {
  loaders: [
    async () => {
      const ready = await storyClient('generated', 'generated')
      return {
        ready,
        empty: await storyClient('empty', () => []),
        loading: pendingClient(ready),
        error: await closedClient(),
        traceId: generatedTraceId(),
      }
    },
  ],
  render: (_args, { loaded }) => (
    <div style={{ display: 'grid', gap: 16 }}>
      {(['ready', 'loading', 'empty', 'error'] as const).map((state) => (
        <WithClient key={state} client={loaded[state]}>
          <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fit, minmax(420px, 1fr))', gap: 16 }}>
            <TracesTable title={`Traces: ${state}`} height={220} showFilterBar={false} />
            <TraceViewer title={`Trace: ${state}`} traceId={state === 'empty' ? 'trace-that-is-not-there' : loaded.traceId} height={220} />
          </div>
        </WithClient>
      ))}
    </div>
  ),
}
