export { SummaryTable, type SummaryColumn, type SummaryTableProps } from './SummaryTable'
export { sortSummaryRows, type SortValue, type SummarySort } from './summaryTable.utils'
export { TimeSeriesChart, type ChartKind, type TimeSeriesChartProps } from './TimeSeriesChart'
export {
  ABSENT_GROUP_LABEL,
  CHART_COLORS,
  formatBucket,
  groupLabel,
  hostTimeZone,
  seriesColor,
  seriesFromAggregate,
  type ChartSeries,
} from './timeSeries'
