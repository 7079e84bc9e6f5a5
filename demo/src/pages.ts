/** The pages of the demo admin tool, and which aiscope panels each one will hold. */
export interface DemoPage {
  /** Hash route: `#/costs`. */
  path: string
  title: string
  /** What an admin comes to this page for. */
  purpose: string
  /** The aiscope panels planned for the page; empty once they all exist. */
  panelsToCome: string[]
}

export const demoPages: DemoPage[] = [
  {
    path: 'overview',
    title: 'Overview',
    purpose: 'Is our AI healthy and what does it cost, at a glance.',
    panelsToCome: [],
  },
  {
    path: 'traces',
    title: 'Traces',
    purpose: 'Find the call that went wrong and see its inputs, outputs, tools, tokens, cost and timing.',
    panelsToCome: [],
  },
  {
    path: 'costs',
    title: 'Costs',
    purpose: 'Where the AI bill goes: by model, provider, user, organisation and feature.',
    panelsToCome: [],
  },
  {
    path: 'evals',
    title: 'Evals',
    purpose: 'Quality scores over time, and regressions after a prompt or model change.',
    panelsToCome: ['<EvalScorecard>'],
  },
  {
    path: 'sessions',
    title: 'Sessions',
    purpose: 'What one user did: pages, AI calls, their reactions to the output, and errors, in order.',
    panelsToCome: ['<SessionTimeline>'],
  },
  {
    path: 'experiments',
    title: 'Experiments',
    purpose: 'Which prompt or model variant users prefer, measured on what they do with the output.',
    panelsToCome: ['<ExperimentResults>'],
  },
  {
    path: 'errors',
    title: 'Errors',
    purpose: 'Model failures grouped by cause: rate limits, timeouts, server errors, content filters.',
    panelsToCome: ['<ErrorGroups>'],
  },
]
