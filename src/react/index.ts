'use client'
/**
 * aiscope's React layer: the provider, hooks and panels. Everything here reads through
 * the client given to `<AiscopeProvider>`.
 */
export * from './provider'
export * from './panel'
export * from './controls'
export * from './traces'
export * from './format'
export * from './charts'
export * from './costs'
export * from './health'
