import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { prosemirrorToYXmlFragment } from 'y-prosemirror'
import { schema } from '../editor/schema.ts'
import { reviewMarkAttribute } from '../../../crdt/review-marks.ts'

describe('review marks written straight into Yjs', () => {
  it('use the very key the editor stores for the same mark, so it reads them as its own', () => {
    const tag = { amendment: 'a1b2c3', author: 'Ana María', color: '#0f6b63' }
    for (const name of ['insertion', 'deletion'] as const) {
      const pm = schema.node('doc', null, [schema.node('paragraph', null, [schema.text('words', [schema.marks[name]!.create(tag)])])])
      const frag = new Y.Doc().getXmlFragment('content')
      prosemirrorToYXmlFragment(pm, frag)
      const delta = ((frag.get(0) as Y.XmlElement).get(0) as Y.XmlText).toDelta() as Array<{ attributes: Record<string, unknown> }>
      expect(delta[0]!.attributes).toEqual(reviewMarkAttribute(name, tag))
    }
  })
})
