import fc from 'fast-check'

/**
 * The fixed fast-check seed of `fastCheck.ts`, for the browser project, which has no setup
 * file and no `process` (so no FC_SEED): import it first in a `*.browser.test.ts` that uses
 * fast-check. Same seed as the node and dom projects, so a failing case reproduces.
 */
fc.configureGlobal({ seed: 20_261_127 })
