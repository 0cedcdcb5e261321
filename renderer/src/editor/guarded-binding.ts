import type * as Y from 'yjs'
import type { Schema } from 'prosemirror-model'
import { findUnrenderable, guardFragment, type Unrenderable } from './schema-guard.ts'

/**
 * The order that keeps y-prosemirror from deleting what it cannot build (see
 * schema-guard.ts): check the whole fragment before binding; register the guard before
 * the binding, so its observer runs first on every change; and when something arrives
 * that the binding could not build, stop the binding inside that same Yjs event, so its
 * own observer finds no view and returns without touching the document.
 *
 * `bind` makes the editor (the app's EditorView, a test's headless one); `onProblem`
 * runs inside the Yjs event, after the binding is stopped: it must not touch the
 * document, and should defer anything slow (remounting a read-only view).
 */
export interface GuardedBinding<V> {
  /** The bound editor; null when the fragment could not be shown (at open, or since). */
  readonly view: V | null
  /** Why the fragment cannot be shown, or null while it can. */
  readonly problem: Unrenderable | null
  /** Stop the guard and the binding (closing the draft). */
  destroy(): void
}

export const bindGuarded = <V extends { destroy(): void }>(
  schema: Schema,
  fragment: Y.XmlFragment,
  bind: () => V,
  onProblem: (problem: Unrenderable) => void,
): GuardedBinding<V> => {
  let view: V | null = null
  let problem = findUnrenderable(schema, fragment)
  let unguard = () => {}
  if (problem === null) {
    const stopGuard = guardFragment(schema, fragment, (found) => {
      problem = found
      unguard()
      view?.destroy()
      view = null
      onProblem(found)
    })
    unguard = () => {
      unguard = () => {}
      stopGuard()
    }
    view = bind()
  }
  return {
    get view() { return view },
    get problem() { return problem },
    destroy() {
      unguard()
      view?.destroy()
      view = null
    },
  }
}
