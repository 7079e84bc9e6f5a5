import { cleanup, render, screen, within } from '@testing-library/react'
import userEvent from '@testing-library/user-event'
import { afterEach, describe, expect, it } from 'vitest'
import { SummaryTable, type SummaryColumn, type SummaryTableProps } from '../../../src/react'
import { findAccessibilityViolations } from '../../support/axe'

interface TeamRow {
  team: string
  costUsd: number | null
  calls: number
}

// Given in cost order, as a query returns them; "(other)" is the folded rest.
const ROWS: TeamRow[] = [
  { team: 'zoe', costUsd: 9, calls: 1 },
  { team: 'Émile', costUsd: 4, calls: 30 },
  { team: 'bob', costUsd: 4, calls: 2 },
  { team: 'Ana', costUsd: null, calls: 5 },
  { team: '(other)', costUsd: 20, calls: 100 },
]

const COLUMNS: SummaryColumn<TeamRow>[] = [
  { id: 'team', header: 'Team', text: (row) => row.team },
  { id: 'costUsd', header: 'Cost', numeric: true, text: (row) => (row.costUsd === null ? 'unknown' : `$${row.costUsd}`), sortValue: (row) => row.costUsd },
  { id: 'calls', header: 'Calls', numeric: true, text: (row) => String(row.calls), sortValue: (row) => row.calls },
  // Formatted numbers with no sort value: not sortable.
  { id: 'share', header: 'Share', numeric: true, text: (row) => `${row.calls}%` },
]

afterEach(cleanup)

function renderTable(props: Partial<SummaryTableProps<TeamRow>> = {}) {
  return render(
    <SummaryTable
      caption="Cost by team"
      columns={COLUMNS}
      rows={ROWS}
      rowKey={(row) => row.team}
      defaultSort={{ columnId: 'costUsd', dir: 'desc' }}
      keepLast={(row) => row.team === '(other)'}
      {...props}
    />,
  )
}

const teams = () => within(screen.getByRole('table', { name: 'Cost by team' })).getAllByRole('rowheader').map((cell) => cell.textContent)
const header = (name: string) => screen.getByRole('columnheader', { name })
const sortStates = () => screen.getAllByRole('columnheader').map((cell) => cell.getAttribute('aria-sort'))

describe('SummaryTable sorting', () => {
  it('has no accessibility violations, sorted or not', async () => {
    const user = userEvent.setup()
    const { container } = renderTable()
    expect(await findAccessibilityViolations(container)).toEqual([])
    await user.click(within(header('Team')).getByRole('button'))
    expect(await findAccessibilityViolations(container)).toEqual([])
  })

  it('shows the rows in the given order, marked as sorted by the default column', () => {
    renderTable()
    expect(teams()).toEqual(['zoe', 'Émile', 'bob', 'Ana', '(other)'])
    expect(sortStates()).toEqual([null, 'descending', null, null])
    expect(within(header('Cost')).getByRole('button').dataset.sort).toBe('desc')
    expect(within(header('Calls')).getByRole('button').dataset.sort).toBe('none')
  })

  it('sorts text A to Z by the locale on a first click, Z to A on the next, with (other) last', async () => {
    const user = userEvent.setup()
    renderTable()
    await user.click(within(header('Team')).getByRole('button'))
    // Locale order puts Émile with the e's, not after z as code units would.
    expect(teams()).toEqual(['Ana', 'bob', 'Émile', 'zoe', '(other)'])
    expect(sortStates()).toEqual(['ascending', null, null, null])
    await user.click(within(header('Team')).getByRole('button'))
    expect(teams()).toEqual(['zoe', 'Émile', 'bob', 'Ana', '(other)'])
    expect(header('Team').getAttribute('aria-sort')).toBe('descending')
  })

  it('sorts numbers largest first on a first click, numerically, with unknown values last both ways', async () => {
    const user = userEvent.setup()
    renderTable()
    await user.click(within(header('Calls')).getByRole('button'))
    // 30 before 5 and 2: numbers, not text.
    expect(teams()).toEqual(['Émile', 'Ana', 'bob', 'zoe', '(other)'])
    expect(header('Calls').getAttribute('aria-sort')).toBe('descending')
    expect(header('Cost').getAttribute('aria-sort')).toBeNull()

    // Ties keep their order; the unknown cost stays last both ways.
    await user.click(within(header('Cost')).getByRole('button'))
    expect(header('Cost').getAttribute('aria-sort')).toBe('descending')
    expect(teams()).toEqual(['zoe', 'Émile', 'bob', 'Ana', '(other)'])
    await user.click(within(header('Cost')).getByRole('button'))
    expect(header('Cost').getAttribute('aria-sort')).toBe('ascending')
    expect(teams()).toEqual(['Émile', 'bob', 'zoe', 'Ana', '(other)'])
  })

  it('reverses the default order on a first click of its column', async () => {
    const user = userEvent.setup()
    renderTable()
    await user.click(within(header('Cost')).getByRole('button'))
    expect(sortStates()).toEqual([null, 'ascending', null, null])
    expect(teams()).toEqual(['Émile', 'bob', 'zoe', 'Ana', '(other)'])
  })

  it('sorts from the keyboard: Enter and Space on a header button', async () => {
    const user = userEvent.setup()
    renderTable()
    await user.tab()
    expect(document.activeElement).toBe(within(header('Team')).getByRole('button'))
    await user.keyboard('{Enter}')
    expect(teams()).toEqual(['Ana', 'bob', 'Émile', 'zoe', '(other)'])
    await user.tab()
    expect(document.activeElement).toBe(within(header('Cost')).getByRole('button'))
    await user.keyboard(' ')
    expect(header('Cost').getAttribute('aria-sort')).toBe('descending')
    expect(teams()).toEqual(['zoe', 'Émile', 'bob', 'Ana', '(other)'])
    await user.keyboard(' ')
    expect(teams()).toEqual(['Émile', 'bob', 'zoe', 'Ana', '(other)'])
  })

  it('leaves a formatted numeric column without a sort value as a plain header', () => {
    renderTable()
    expect(within(header('Share')).queryByRole('button')).toBeNull()
    expect(header('Share').textContent).toBe('Share')
  })
})
