'use client'
import { useId, type ComponentProps, type ReactNode } from 'react'
import type { LoadProgress } from '../../query/columnCache'
import { describeError, describeLoad, type PanelState } from './panel.utils'

/** Props of {@link PanelRoot}: a `<section>` with the panel's state as `data-state`. */
export interface PanelRootProps extends ComponentProps<'section'> {
  /** What the panel is showing. @default 'ready' */
  state?: PanelState
}

/** The outer element of every aiscope panel: one `<section>`. */
export function PanelRoot({ state = 'ready', className, ...props }: PanelRootProps) {
  return (
    <section
      aria-busy={state === 'loading' || undefined}
      data-state={state}
      className={joinClassNames('aiscope-Panel', className)}
      {...props}
    />
  )
}
PanelRoot.displayName = 'Panel.Root'

/** The panel's header row: title on one side, actions on the other. One `<div>`. */
export function PanelHeader({ className, ...props }: ComponentProps<'div'>) {
  return <div className={joinClassNames('aiscope-PanelHeader', className)} {...props} />
}
PanelHeader.displayName = 'Panel.Header'

/** The panel's title. One `<h2>`. */
export function PanelTitle({ className, ...props }: ComponentProps<'h2'>) {
  return <h2 className={joinClassNames('aiscope-PanelTitle', className)} {...props} />
}
PanelTitle.displayName = 'Panel.Title'

/** A line under the title saying what the panel shows. One `<p>`. */
export function PanelDescription({ className, ...props }: ComponentProps<'p'>) {
  return <p className={joinClassNames('aiscope-PanelDescription', className)} {...props} />
}
PanelDescription.displayName = 'Panel.Description'

/** The panel's content area. One `<div>`. */
export function PanelBody({ className, ...props }: ComponentProps<'div'>) {
  return <div className={joinClassNames('aiscope-PanelBody', className)} {...props} />
}
PanelBody.displayName = 'Panel.Body'

/** Props of {@link PanelMessage}. */
export interface PanelMessageProps extends ComponentProps<'div'> {
  /** Which state the message explains; sets its ARIA role and `data-tone`. */
  tone: Exclude<PanelState, 'ready'>
}

/**
 * The message shown instead of content while loading, when empty, or on error. One
 * `<div>`: a polite live region, or an alert for errors.
 */
export function PanelMessage({ tone, className, ...props }: PanelMessageProps) {
  return (
    <div
      role={tone === 'error' ? 'alert' : 'status'}
      data-tone={tone}
      className={joinClassNames('aiscope-PanelMessage', className)}
      {...props}
    />
  )
}
PanelMessage.displayName = 'Panel.Message'

/** Props of {@link PanelFrame}. */
export interface PanelFrameProps extends Omit<ComponentProps<'section'>, 'title'> {
  /** The panel's title, shown as its heading and used as its accessible name. */
  title: ReactNode
  /** A line under the title saying what the panel shows. */
  description?: ReactNode
  /** What the panel is showing; `children` render only when `'ready'`. @default 'ready' */
  state?: PanelState
  /** What went wrong, shown as text in the `'error'` state. */
  error?: unknown
  /** Shown in the `'empty'` state. @default 'No data in this range yet.' */
  emptyMessage?: ReactNode
  /** Shown in the `'loading'` state. @default 'Loading…', or the load's progress when `progress` is given */
  loadingMessage?: ReactNode
  /**
   * How far the engine is in loading stored events before it can answer (after a cold open
   * of a large store): `useQuery(...).progress`. Shown in the `'loading'` state.
   */
  progress?: LoadProgress
  /** Offered as a "Try again" button in the `'error'` state. */
  onRetry?: () => void
  /** Controls shown at the end of the header (a range picker, an export button). */
  actions?: ReactNode
}

/**
 * The frame every panel shares: a titled section that shows its content, or a clear
 * loading, empty or error message in its place. Built from the `Panel*` parts, which a
 * host can compose itself.
 */
export function PanelFrame({
  title,
  description,
  state = 'ready',
  error,
  emptyMessage = 'No data in this range yet.',
  loadingMessage,
  progress,
  onRetry,
  actions,
  children,
  ...props
}: PanelFrameProps) {
  const titleId = useId()
  return (
    <PanelRoot state={state} aria-labelledby={titleId} {...props}>
      <PanelHeader>
        <div>
          <PanelTitle id={titleId}>{title}</PanelTitle>
          {description ? <PanelDescription>{description}</PanelDescription> : null}
        </div>
        {actions}
      </PanelHeader>
      <PanelBody>
        {state === 'ready' ? children : null}
        {state === 'loading' ? <PanelMessage tone="loading">{loadingMessage ?? describeLoad(progress)}</PanelMessage> : null}
        {state === 'empty' ? <PanelMessage tone="empty">{emptyMessage}</PanelMessage> : null}
        {state === 'error' ? (
          <PanelMessage tone="error">
            <p className="aiscope-PanelErrorText">{describeError(error)}</p>
            {onRetry ? (
              <button type="button" className="aiscope-Button" onClick={onRetry}>
                Try again
              </button>
            ) : null}
          </PanelMessage>
        ) : null}
      </PanelBody>
    </PanelRoot>
  )
}

function joinClassNames(base: string, extra: string | undefined): string {
  return extra ? `${base} ${extra}` : base
}
