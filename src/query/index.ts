export { createEngine, type AiscopeEngine, type EngineOptions } from './engine'
