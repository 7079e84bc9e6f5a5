export { ModelHealth, type ModelHealthProps } from './ModelHealth'
export { ModelHealthTiles, type ModelHealthTilesProps } from './ModelHealthTiles'
export { DASHBOARD_FILTER_FIELDS, ModelHealthDashboard, type DashboardProps } from './ModelHealthDashboard'
export { HEALTH_ERROR_KINDS, LATENCY_STATISTICS, cacheHitRate, costPerThousandCalls, errorKindCounts, modelProviderId, rowCacheHitRate } from './health.utils'
