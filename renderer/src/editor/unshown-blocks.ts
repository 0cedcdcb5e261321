import { Plugin } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import type { Node as PMNode } from 'prosemirror-model'

/**
 * Marks the blocks of a read-only copy (showable-copy.ts) that are not shown as they
 * were written, each with a label saying what arrived and from whom. The label is a
 * data attribute drawn by the stylesheet, so it is always plain text.
 */
export interface UnshownLabel {
  /** Index of the top-level block. */
  index: number
  label: string
}

export const unshownBlocks = (labels: UnshownLabel[]): Plugin => {
  const cache = new WeakMap<PMNode, DecorationSet>()
  const decorate = (doc: PMNode): DecorationSet => {
    const byIndex = new Map(labels.map((l) => [l.index, l.label]))
    const decorations: Decoration[] = []
    doc.forEach((block, offset, index) => {
      const label = byIndex.get(index)
      if (label !== undefined) decorations.push(Decoration.node(offset, offset + block.nodeSize, { class: 'pk-unshown', 'data-unshown': label, title: label }))
    })
    return DecorationSet.create(doc, decorations)
  }
  return new Plugin({
    props: {
      decorations: (state) => {
        let set = cache.get(state.doc)
        if (!set) cache.set(state.doc, (set = decorate(state.doc)))
        return set
      },
    },
  })
}
