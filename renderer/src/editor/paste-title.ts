import { Fragment, type Node as PMNode, Slice } from 'prosemirror-model'
import { NODE, PLANK_LEVEL } from '../../../crdt/format.ts'
import { schema } from './schema.ts'

/**
 * A draft has one title. Pasted or dropped content may bring its own (an <h1> from a
 * web page, a title copied from another draft): it comes in as a plank heading. The
 * title's text pasted into the title itself (an open slice) stays text, as it was.
 */
export const titlesToHeadings = (slice: Slice): Slice => {
  const rewrite = (fragment: Fragment): Fragment => {
    const nodes: PMNode[] = []
    fragment.forEach((node) => {
      if (node.type.name === NODE.title) {
        // A title holds fewer marks than a heading: its content fits as it is.
        nodes.push(schema.nodes[NODE.heading]!.create({ ...node.attrs, level: PLANK_LEVEL }, node.content))
      } else nodes.push(node.isLeaf || node.isTextblock ? node : node.copy(rewrite(node.content)))
    })
    return Fragment.from(nodes)
  }
  return new Slice(rewrite(slice.content), slice.openStart, slice.openEnd)
}
