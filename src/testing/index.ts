/**
 * `aiscope/testing`: a seeded generator of realistic AI product telemetry in PostHog's
 * `$ai_*` schema, for tests, stories, demos and benchmarks. Runs anywhere (Node, workers,
 * pages): it touches no browser globals.
 */
export { generateEventBatches, generateEvents, telemetryCatalog, type GeneratorOptions } from './generator'
export { seedStore, type SeedProgress, type SeedStoreOptions } from './seedStore'
