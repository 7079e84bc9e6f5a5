/** Sort helpers shared by the paged list kernels (`traces`, `generations`). */

/** Numbers in the direction of `sign` (1 ascending, -1 descending), NaN (null) last either way. */
export function compareNumbers(x: number, y: number, sign: number): number {
  if (x === y) {
    return 0
  }
  if (x !== x) {
    return y !== y ? 0 : 1
  }
  if (y !== y) {
    return -1
  }
  return x < y ? -sign : sign
}
