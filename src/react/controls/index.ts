import { FilterBarRoot, FilterDimension, FilterRange, FilterReset, FilterSearch, FilterStatus } from './FilterBar'

export {
  FILTER_FIELDS,
  FilterBar,
  FilterBarRoot,
  FilterDimension,
  FilterRange,
  FilterReset,
  FilterSearch,
  FilterStatus,
  type FilterBarProps,
  type FilterBarRootProps,
  type FilterDimensionProps,
  type FilterField,
  type FilterRangeProps,
  type FilterResetProps,
  type FilterSearchProps,
  type FilterStatusProps,
} from './FilterBar'
export {
  EMPTY_FILTER_VALUE,
  FILTER_DIMENSIONS,
  countActiveFilters,
  toQueryFilters,
  type FilterDimensionKey,
  type FilterValue,
  type NumberRange,
  type QueryFilters,
  type StatusFilter,
} from './filters'
export { useFilters, type UseFiltersOptions, type UseFiltersResult } from './useFilters'
export { useControllableState, type ControllableStateOptions } from './useControllableState'

/** The filter bar's parts as one namespace: `<FilterBarParts.Root>`, `<FilterBarParts.Search>`, ... */
export const FilterBarParts = {
  Root: FilterBarRoot,
  Search: FilterSearch,
  Dimension: FilterDimension,
  Status: FilterStatus,
  Range: FilterRange,
  Reset: FilterReset,
}
export { DateRangePicker, useDateRange, type DateRangePickerProps, type UseDateRangeOptions, type UseDateRangeResult } from './DateRangePicker'
export {
  DATE_RANGE_PRESETS,
  customRange,
  dateRangeOf,
  previousPeriod,
  resolvePreset,
  zonedDate,
  zonedDayStartMs,
  type DateRangePreset,
  type DateRangeValue,
} from './dateRange'
export { csvCell, toCsv, type CsvColumn } from './csv'
export { CsvExportButton, type CsvExportButtonProps } from './CsvExportButton'
