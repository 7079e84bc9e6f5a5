export { AiscopeProvider, useAiscopeClient, type AiscopeProviderProps } from './AiscopeProvider'
export { useStoreStatus, type StoreStatusResult } from './useStoreStatus'
