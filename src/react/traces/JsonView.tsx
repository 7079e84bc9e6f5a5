'use client'
import { useMemo, useState, type ComponentProps, type ReactNode } from 'react'
import { joinClassNames } from '../controls/controls.utils'
import { formatCount } from '../format'

/** Characters shown before "Show all": a multi-megabyte payload as one text node stalls layout. */
const SHOWN_CHARS = 100_000

/** Props of {@link JsonView}. */
export interface JsonViewProps extends Omit<ComponentProps<'details'>, 'children'> {
  /** Any JSON-serialisable value. */
  value: unknown
  /** The summary line. @default 'Raw JSON' */
  label?: ReactNode
}

/**
 * A value as indented JSON, folded behind its summary, with a "Copy JSON" button. Long
 * text is cut at 100,000 characters until the user asks for all of it. One `<details>`;
 * `data-copy` says whether the last copy worked.
 */
export function JsonView({ value, label = 'Raw JSON', className, ...props }: JsonViewProps) {
  const json = useMemo(() => {
    try {
      return JSON.stringify(value, null, 2) ?? 'undefined'
    } catch (error) {
      return `Not serialisable as JSON: ${error instanceof Error ? error.message : String(error)}`
    }
  }, [value])
  const [showAll, setShowAll] = useState(false)
  const [copy, setCopy] = useState<'idle' | 'copied' | 'failed'>('idle')
  const cut = !showAll && json.length > SHOWN_CHARS

  const copyJson = () => {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard
    if (!clipboard) {
      setCopy('failed')
      return
    }
    clipboard.writeText(json).then(
      () => setCopy('copied'),
      () => setCopy('failed'),
    )
  }

  return (
    <details className={joinClassNames('aiscope-JsonView', className)} data-copy={copy} {...props}>
      <summary>{label}</summary>
      <div className="aiscope-JsonActions">
        <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={copyJson}>
          Copy JSON
        </button>
        <span role="status" className="aiscope-JsonCopyStatus">
          {copy === 'copied' ? 'Copied.' : copy === 'failed' ? 'Could not copy: the clipboard is not available here.' : ''}
        </span>
      </div>
      <pre className="aiscope-Code">
        <code>{cut ? json.slice(0, SHOWN_CHARS) : json}</code>
      </pre>
      {cut ? (
        <button type="button" className="aiscope-Button aiscope-Button-quiet" onClick={() => setShowAll(true)}>
          Show all {formatCount(json.length)} characters
        </button>
      ) : null}
    </details>
  )
}
JsonView.displayName = 'TraceViewer.Json'
