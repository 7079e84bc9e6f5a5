import { CostBreakdown, DateRangePicker, ModelHealthTiles, useDateRange } from 'aiscope/react'

/** The Overview page's aiscope panels: the health tiles and cost by model over one date range. */
export function OverviewPanels() {
  const dates = useDateRange({ defaultPreset: '7d' })
  return (
    <div className="demo-stack">
      <DateRangePicker value={dates.value} onValueChange={dates.setValue} />
      <ModelHealthTiles range={dates.range} previousRange={dates.previousRange ?? null} />
      <CostBreakdown by="model" range={dates.range} previousRange={dates.previousRange} interval={dates.value.preset === '24h' ? 'hour' : 'day'} />
    </div>
  )
}
