import { CostAttributionDashboard, UsageByUser, useDateRange, type BudgetExceededEntry } from 'aiscope/react'
import { useState } from 'react'

/** Demo budgets: what some customer organisations may spend on AI in the chosen range, USD. */
const ORGANISATION_BUDGETS: Record<string, number> = { org_northwind: 5, org_globex: 5, org_initech: 5, 'org_umbrella-health': 5, 'org_acme-robotics': 5 }

/** The Costs page: the cost attribution dashboard, and usage per organisation against budgets, over one date range. */
export function CostsPage() {
  const dates = useDateRange({ defaultPreset: '7d' })
  const [overBudget, setOverBudget] = useState<BudgetExceededEntry[]>([])
  return (
    <div className="demo-stack">
      <CostAttributionDashboard dateRange={dates.value} onDateRangeChange={dates.setValue} />
      {overBudget.length > 0 ? (
        <p className="demo-banner" role="status">
          Host alert: {overBudget.map((entry) => entry.key).join(', ')} over budget.
        </p>
      ) : null}
      <UsageByUser by="organisation" range={dates.range} budgets={ORGANISATION_BUDGETS} onBudgetExceeded={setOverBudget} />
    </div>
  )
}
