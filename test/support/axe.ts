import axe from 'axe-core'

/**
 * Runs axe over a rendered container and returns its violations as readable lines, so a
 * failing assertion shows what is wrong. Colour contrast is left to the browser tests:
 * jsdom has no layout or computed colours.
 */
export async function findAccessibilityViolations(container: Element): Promise<string[]> {
  const results = await axe.run(container, { rules: { 'color-contrast': { enabled: false } } })
  return results.violations.map(
    (violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`,
  )
}
