/** `base` with the host's `extra` class names, when given. */
export function joinClassNames(base: string, extra: string | undefined): string {
  return extra ? `${base} ${extra}` : base
}
