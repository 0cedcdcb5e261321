import * as Y from 'yjs'
import { describe, expect, it } from 'vitest'
import { Awareness } from 'y-protocols/awareness'
import { absolutePositionToRelativePosition, yCursorPlugin, yCursorPluginKey, ySyncPluginKey } from 'y-prosemirror'
import type { DecorationSet } from 'prosemirror-view'
import { schema } from './schema.ts'
import { drawableCursor, remoteCursors } from './remote-cursors.ts'
import { content, createDraftDoc, seedDraft } from '../../../crdt/index.ts'
import { HeadlessEditor } from '../../../test/support/headless-editor.ts'

/** A draft open in a headless editor with a cursor plugin, and a way to receive peers' presence. */
const setup = (plugin: (a: Awareness) => ReturnType<typeof remoteCursors>) => {
  const doc = createDraftDoc()
  seedDraft(doc, { title: 'Platform', planks: ['Housing'] })
  const awareness = new Awareness(doc)
  const editor = new HeadlessEditor(content(doc), schema, [plugin(awareness)])
  const receive = (clientId: number, state: unknown) => {
    awareness.states.set(clientId, state as Record<string, unknown>)
    editor.dispatch(editor.state.tr.setMeta(yCursorPluginKey, { awarenessUpdated: true }))
  }
  const at = (pos: number) => {
    const { type, binding } = ySyncPluginKey.getState(editor.state) as { type: Y.XmlFragment; binding: { mapping: Map<unknown, unknown> } }
    return Y.relativePositionToJSON(absolutePositionToRelativePosition(pos, type, binding.mapping as never))
  }
  const cursors = () => (yCursorPluginKey.getState(editor.state) as DecorationSet).find().length
  return { editor, receive, at, cursors }
}

const HOSTILE: Array<[string, (at: (p: number) => unknown) => unknown]> = [
  ['a string for a user', (at) => ({ user: 'Mallory', cursor: { anchor: at(2), head: at(2) } })],
  ['a number for a user', (at) => ({ user: 7, cursor: { anchor: at(2), head: at(2) } })],
  ['an anchor without ids', () => ({ user: {}, cursor: { anchor: {}, head: {} } })],
  ['an anchor that is null', (at) => ({ user: {}, cursor: { anchor: null, head: at(2) } })],
  ['ids that are strings', () => ({ user: {}, cursor: { anchor: { item: { client: 'x', clock: 'y' } }, head: { item: { client: 'x', clock: 'y' } } } })],
  ['a cursor that is a string', () => ({ user: {}, cursor: 'here' })],
]

describe('remote cursors', () => {
  it('draws a peer’s cursor with a safe colour and a plain name', () => {
    const { receive, at, cursors } = setup(remoteCursors)
    receive(42, { user: { name: 'Amina', color: '#f00; position:fixed; width:100vw; height:100vh' }, cursor: { anchor: at(2), head: at(4) } })
    expect(cursors()).toBe(2) // the caret and the selection
  })

  describe.each(HOSTILE)('a presence state with %s', (_what, state) => {
    it('is not drawn, and the editor keeps working', () => {
      const { editor, receive, at, cursors } = setup(remoteCursors)
      receive(7, state(at))
      receive(8, { user: { name: 'Bo', color: '#0f6b63' }, cursor: { anchor: at(2), head: at(2) } })
      expect(cursors()).toBe(1) // Bo's caret (a collapsed selection draws no tint)
      editor.typeInBlock(1, 'Still typing')
      expect(editor.state.doc.child(1).textContent).toBe('Still typing')
      expect(drawableCursor(state(at))).toBe(false)
    })
  })

  it('would stop the editor with y-prosemirror’s own filter (the case it guards against)', () => {
    const { receive, at } = setup((a) => yCursorPlugin(a))
    expect(() => receive(7, { user: 'Mallory', cursor: { anchor: at(2), head: at(2) } })).toThrow()
  })
})
