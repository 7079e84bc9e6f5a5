import { describe, expect, it } from 'vitest'
import { toCsv } from '../../../src/react'

describe('toCsv', () => {
  const columns = [
    { header: 'Name', text: (row: { name: string; cost: string }) => row.name },
    { header: 'Cost, USD', text: (row: { name: string; cost: string }) => row.cost },
  ]

  it('quotes commas, quotes and line breaks, doubling quotes', () => {
    expect(toCsv([{ name: 'say "hi", then\nleave', cost: '1.5' }], columns)).toBe('Name,"Cost, USD"\r\n"say ""hi"", then\nleave",1.5\r\n')
  })

  it('neutralises cells a spreadsheet would run as formulas', () => {
    const rows = ['=HYPERLINK("x")', '+1', '-2', '@SUM(A1)', 'plain'].map((name) => ({ name, cost: '' }))
    expect(toCsv(rows, columns).split('\r\n').slice(1, 6)).toEqual([`"'=HYPERLINK(""x"")",`, "'+1,", "'-2,", "'@SUM(A1),", 'plain,'])
  })
})
