import * as Y from 'yjs'
import type { EditorView } from 'prosemirror-view'
import { getRelativeSelection, ySyncPluginKey } from 'y-prosemirror'

/**
 * Keep a member's caret with their own text when a colleague types at the same spot.
 *
 * Before applying a remote change, y-prosemirror records the caret as Yjs relative
 * positions that stick to the character on its right (or to the end of the block).
 * When both members type at the very same place, the colleague's letters land before
 * that anchor, so the caret jumps past them and the two sentences interleave letter by
 * letter. Anchoring a collapsed caret inside text to the character on its left keeps it
 * right after the member's own last letter (the ShareJS fix for the same problem).
 *
 * This swaps the binding's beforeAllTransactions listener (ProsemirrorBinding in
 * y-prosemirror 1.3.x); the binding removes whichever listener it holds when destroyed.
 */
interface BindingInternals {
  doc: Y.Doc
  prosemirrorView: EditorView | null
  beforeTransactionSelection: ReturnType<typeof getRelativeSelection> | null
  beforeAllTransactions: () => void
}

export const keepCaretWithOwnText = (view: EditorView): void => {
  const binding = (ySyncPluginKey.getState(view.state) as { binding?: BindingInternals } | undefined)?.binding
  if (!binding) return
  const { doc } = binding
  const toLeft = (rel: Y.RelativePosition | null): Y.RelativePosition | null => {
    if (rel === null) return rel
    const abs = Y.createAbsolutePositionFromRelativePosition(rel, doc)
    if (!abs || !(abs.type instanceof Y.XmlText)) return rel
    return Y.createRelativePositionFromTypeIndex(abs.type, abs.index, -1)
  }
  doc.off('beforeAllTransactions', binding.beforeAllTransactions)
  binding.beforeAllTransactions = () => {
    const pm = binding.prosemirrorView
    if (binding.beforeTransactionSelection !== null || pm === null) return
    const selection = getRelativeSelection(binding as never, pm.state)
    if (pm.state.selection.empty && selection.type === 'text') {
      const head = toLeft(selection.head)
      selection.anchor = head
      selection.head = head
    }
    binding.beforeTransactionSelection = selection
  }
  doc.on('beforeAllTransactions', binding.beforeAllTransactions)
}
