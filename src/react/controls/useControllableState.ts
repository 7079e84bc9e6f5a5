'use client'
import { useCallback, useState } from 'react'

/** Options of {@link useControllableState}. */
export interface ControllableStateOptions<Value> {
  /** The host's value: when not `undefined`, the state is controlled and follows it. */
  value: Value | undefined
  /** The first value when uncontrolled. */
  defaultValue: Value | (() => Value)
  /** Told of every change, controlled or not. */
  onChange?: ((value: Value) => void) | undefined
}

/**
 * State a host may own (`value` + `onChange`) or leave to the component (`defaultValue`),
 * as React's own inputs do. The setter takes a value or an updater (applied to the value of
 * the last render), like `useState`'s.
 */
export function useControllableState<Value>({
  value,
  defaultValue,
  onChange,
}: ControllableStateOptions<Value>): [Value, (next: Value | ((previous: Value) => Value)) => void] {
  const [ownValue, setOwnValue] = useState(defaultValue)
  const isControlled = value !== undefined
  const current = isControlled ? value : ownValue

  const setValue = useCallback(
    (next: Value | ((previous: Value) => Value)) => {
      const resolved = typeof next === 'function' ? (next as (previous: Value) => Value)(current) : next
      if (Object.is(resolved, current)) {
        return
      }
      if (!isControlled) {
        setOwnValue(() => resolved)
      }
      onChange?.(resolved)
    },
    [current, isControlled, onChange],
  )

  return [current, setValue]
}
