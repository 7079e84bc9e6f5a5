export { AiscopeProvider, useAiscopeClient, type AiscopeProviderProps } from './AiscopeProvider'
export { useQuery, type QueryState } from './useQuery'
export { useStoreStatus, type StoreStatusResult } from './useStoreStatus'
