// Loads the built package by its own name, as a consumer's Node (SSR) would, and checks
// that every entry the exports map names exists and that the worker shipped as its own chunk.
import { existsSync, readdirSync, readFileSync } from 'node:fs'

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
const problems = []

for (const [subpath, target] of Object.entries(pkg.exports)) {
  const files = typeof target === 'string' ? [target] : Object.values(target)
  for (const file of files) {
    if (!existsSync(new URL(`../${file}`, import.meta.url))) {
      problems.push(`exports["${subpath}"] points at ${file}, which the build did not emit`)
    }
  }
  if (typeof target !== 'string' && target.default?.endsWith('.js')) {
    const specifier = subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`
    const entry = await import(specifier)
    if (Object.keys(entry).length === 0) {
      problems.push(`${specifier} exports nothing`)
    }
  }
}

const workerChunks = readdirSync(new URL('../dist/assets', import.meta.url)).filter((name) =>
  /^aiscope\.worker-.*\.js$/.test(name),
)
if (workerChunks.length !== 1) {
  problems.push(`expected one worker chunk in dist/assets, found ${JSON.stringify(workerChunks)}`)
}
const mainChunks = readdirSync(new URL('../dist', import.meta.url)).filter((name) => name.endsWith('.js'))
const loadsWorkerRelatively = mainChunks.some((name) =>
  /new URL\([^)]*assets\/aiscope\.worker-[^"']+\.js["'],\s*import\.meta\.url\)/.test(
    readFileSync(new URL(`../dist/${name}`, import.meta.url), 'utf8'),
  ),
)
if (!loadsWorkerRelatively) {
  problems.push('no chunk in dist/ resolves the worker chunk relative to import.meta.url')
}

if (problems.length > 0) {
  console.error(problems.map((problem) => `- ${problem}`).join('\n'))
  process.exit(1)
}
console.log(`dist OK: ${Object.keys(pkg.exports).length} export subpaths, worker chunk ${workerChunks[0]}`)
