import { existsSync } from 'node:fs'

/**
 * Global setup of the browser project: stops with the fix spelled out when Chromium is
 * missing, instead of a launch error from deep inside Playwright.
 */
export default function requireChromium(): void {
  const chromiumPath = process.env.AISCOPE_CHROMIUM ?? '/usr/bin/chromium'
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `The browser tests run in real Chromium, and there is none at ${chromiumPath}.\n` +
        'Install Debian/Ubuntu\'s package with `sudo apt-get install -y chromium`, or point ' +
        'AISCOPE_CHROMIUM at a Chromium or Chrome binary. `npm run test:unit` runs the other projects without it.',
    )
  }
}
