import type { Meta, StoryObj } from '@storybook/react-vite'
import { PanelFrame, type PanelState } from '../src/react'

/**
 * The frame every aiscope panel shares. Its four states are what a host sees before any
 * data arrives, when a range has nothing in it, and when a query fails.
 */
const meta = {
  title: 'aiscope/Panel',
  component: PanelFrame,
  args: {
    title: 'Cost by model',
    description: 'Spend on each model over the selected range, in USD.',
    state: 'ready',
  },
  argTypes: {
    state: { control: 'inline-radio', options: ['loading', 'empty', 'error', 'ready'] satisfies PanelState[] },
  },
} satisfies Meta<typeof PanelFrame>

export default meta
type Story = StoryObj<typeof meta>

const readyContent = (
  <table>
    <thead>
      <tr>
        <th scope="col">Model</th>
        <th scope="col">Cost (USD)</th>
      </tr>
    </thead>
    <tbody>
      <tr>
        <td>gpt-4o-mini</td>
        <td>$412.80</td>
      </tr>
      <tr>
        <td>claude-sonnet-4-5</td>
        <td>$1,020.15</td>
      </tr>
    </tbody>
  </table>
)

export const Default: Story = { args: { children: readyContent } }

export const Empty: Story = { args: { state: 'empty' } }

export const Loading: Story = { args: { state: 'loading' } }

/** The first query after a cold open of a large store: how many stored events are read. */
export const LoadingStoredEvents: Story = {
  args: { state: 'loading', progress: { stage: 'reading', loadedEventCount: 340_000, totalEventCount: 1_000_000 } },
}

/** Once, after an upgrade: columns stored by an older version are rebuilt before the first answer. */
export const UpdatingStoredEvents: Story = {
  args: { state: 'loading', progress: { stage: 'rebuilding', loadedEventCount: 25_000, totalEventCount: 200_000 } },
}

export const Error: Story = {
  args: {
    state: 'error',
    error: new globalThis.Error('The worker stopped answering: IndexedDB quota exceeded.'),
    onRetry: () => undefined,
  },
}

/** Error text from the outside world is shown as text: markup in it never renders. */
export const ErrorWithMarkup: Story = {
  args: {
    state: 'error',
    error: '<img src=x onerror="alert(1)"> rate limited',
  },
}

export const Large: Story = {
  args: {
    title: 'Cost by model, with a long title that has to wrap on a narrow dashboard column',
    children: (
      <ol>
        {Array.from({ length: 40 }, (_, index) => (
          <li key={index}>model-{index + 1}</li>
        ))}
      </ol>
    ),
  },
}

/** Every state side by side, for review at a glance. */
export const AllStates: Story = {
  render: (args) => (
    <div style={{ display: 'grid', gridTemplateColumns: 'repeat(auto-fill, minmax(280px, 1fr))', gap: 16 }}>
      {(['ready', 'loading', 'empty', 'error'] satisfies PanelState[]).map((state) => (
        <PanelFrame
          key={state}
          {...args}
          title={`State: ${state}`}
          state={state}
          error={state === 'error' ? 'Query failed: timed out after 30 s.' : undefined}
        >
          {readyContent}
        </PanelFrame>
      ))}
    </div>
  ),
}
