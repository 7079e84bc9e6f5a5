/** The kinds of model failure panels tell apart. */
export const ERROR_KINDS = ['rate_limit', 'timeout', 'server', 'client', 'content_filter', 'other'] as const

/** One of {@link ERROR_KINDS}. */
export type ErrorKind = (typeof ERROR_KINDS)[number]

/** What {@link classifyError} reads from a failed event. */
export interface ErrorFacts {
  httpStatus?: number
  /** The error's class name (`RateLimitError`, `APIConnectionTimeoutError`, ...). */
  name?: string
  /** The error's `type` or `code` (`content_filter`, `rate_limit_exceeded`, ...). */
  type?: string
  message?: string
  stopReason?: string
}

/**
 * Classifies a failed call. Names and types win over the status, because SDKs report a
 * timeout as status 500 (no response) and some providers send content-filter refusals as 400.
 */
export function classifyError({ httpStatus, name = '', type = '', message = '', stopReason = '' }: ErrorFacts): ErrorKind {
  const text = `${name} ${type} ${stopReason}`.toLowerCase()
  if (/content[_ -]?filter|safety|moderation|blocked/.test(text) || /content[_ -]?filter/i.test(message)) {
    return 'content_filter'
  }
  if (httpStatus === 429 || /rate[_ -]?limit|resource[_ -]?exhausted|overloaded/.test(text)) {
    return 'rate_limit'
  }
  if (httpStatus === 408 || httpStatus === 504 || /time[_ -]?out|deadline[_ -]?exceeded/.test(text) || /timed? ?out/i.test(message)) {
    return 'timeout'
  }
  if (httpStatus !== undefined && httpStatus >= 500) {
    return 'server'
  }
  if (httpStatus !== undefined && httpStatus >= 400) {
    return 'client'
  }
  return 'other'
}
