'use client'
import { createContext, use, type ReactNode } from 'react'
import type { AiscopeClient } from '../../client'

const AiscopeClientContext = createContext<AiscopeClient | null>(null)
AiscopeClientContext.displayName = 'AiscopeClientContext'

/** Props of {@link AiscopeProvider}. */
export interface AiscopeProviderProps {
  /** The client every panel below reads from, made once with `createAiscope()`. */
  client: AiscopeClient
  children?: ReactNode
}

/** Makes an aiscope client available to every panel and hook below it. */
export function AiscopeProvider({ client, children }: AiscopeProviderProps) {
  return <AiscopeClientContext value={client}>{children}</AiscopeClientContext>
}

/**
 * The client of the nearest {@link AiscopeProvider}.
 * @throws when there is no provider above, naming the fix.
 */
export function useAiscopeClient(): AiscopeClient {
  const client = use(AiscopeClientContext)
  if (!client) {
    throw new Error(
      'aiscope: no client found. Wrap your panels in <AiscopeProvider client={createAiscope()}>.',
    )
  }
  return client
}
