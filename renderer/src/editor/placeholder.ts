import { Plugin } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import { NODE } from '../../../crdt/format.ts'
import { UNTITLED } from '../../../crdt/title.ts'

/**
 * Grey hints in empty blocks, so a fresh draft says where the title and the text go.
 * Decorations only: nothing is written to the shared document.
 */
const hintFor = (name: string, index: number, level: number): string | null => {
  if (name === NODE.title) return UNTITLED
  if (name === NODE.heading) return level === 3 ? 'Subsection heading' : 'Plank heading'
  if (name === NODE.paragraph && index === 1) return 'Preamble: who you are and what this platform is for…'
  return null
}

export const placeholderPlugin = (): Plugin => new Plugin({
  props: {
    decorations(state) {
      const decorations: Decoration[] = []
      state.doc.forEach((node, offset, index) => {
        if (node.content.size > 0) return
        const hint = hintFor(node.type.name, index, Number(node.attrs.level))
        if (hint) decorations.push(Decoration.node(offset, offset + node.nodeSize, { class: 'pk-empty', 'data-placeholder': hint }))
      })
      return DecorationSet.create(state.doc, decorations)
    },
  },
})
