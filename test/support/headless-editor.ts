import * as Y from 'yjs'
import { EditorState, type Plugin, type Transaction } from 'prosemirror-state'
import type { Schema } from 'prosemirror-model'
import { initProseMirrorDoc, ySyncPlugin } from 'y-prosemirror'

interface PluginViewLike { update?: (view: never, prev: EditorState) => void; destroy?: () => void }

/**
 * y-prosemirror's real binding without a DOM: ySyncPlugin on an EditorState, with its
 * plugin view made and updated as EditorView does (after every dispatched transaction),
 * and the few things that plugin view asks of a view (state, dispatch, hasFocus). Built
 * as renderer/src/editor/editor.ts builds the app's editor (initProseMirrorDoc, then the
 * plugin with its mapping), so the binding's build, delete and write-back paths all run.
 */
export class HeadlessEditor {
  state: EditorState
  isDestroyed = false
  /** What plugin views (the cursor plugin) attach listeners to; nothing here fires them. */
  readonly dom = { addEventListener: () => {}, removeEventListener: () => {} }
  private readonly views: PluginViewLike[]

  constructor(fragment: Y.XmlFragment, schema: Schema, plugins: Plugin[] = []) {
    const initial = fragment.length > 0 ? initProseMirrorDoc(fragment, schema) : null
    this.state = EditorState.create({
      schema,
      doc: initial?.doc,
      plugins: [ySyncPlugin(fragment, initial ? { mapping: initial.mapping } : {}), ...plugins],
    })
    this.views = this.state.plugins.flatMap((p) => (p.spec.view ? [p.spec.view(this as never) as PluginViewLike] : []))
  }

  dispatch(tr: Transaction): void {
    if (this.isDestroyed) return
    const prev = this.state
    this.state = this.state.apply(tr)
    for (const v of this.views) v.update?.(this as never, prev)
  }

  hasFocus(): boolean {
    return false
  }

  /** Type `text` at the end of the top-level block at `index` (a text block), as a member would. */
  typeInBlock(index: number, text: string): void {
    let pos = 0
    for (let i = 0; i < index; i++) pos += this.state.doc.child(i).nodeSize
    const block = this.state.doc.child(index)
    if (!block.isTextblock) throw new Error(`block ${index} is a ${block.type.name}, not a text block`)
    this.dispatch(this.state.tr.insertText(text, pos + block.nodeSize - 1))
  }

  /** Type `text` at the end of every text block, in one transaction. */
  typeEverywhere(text: string): void {
    const tr = this.state.tr
    this.state.doc.descendants((node, pos) => {
      if (!node.isTextblock) return true
      tr.insertText(text, tr.mapping.map(pos + node.nodeSize - 1))
      return false
    })
    if (tr.docChanged) this.dispatch(tr)
  }

  /** Whether the editor shows its fragment: a valid ProseMirror document holding the same text. */
  showsFaithfully(fragment: Y.XmlFragment): boolean {
    try {
      this.state.doc.check()
    } catch {
      return false
    }
    const texts: string[] = []
    const walk = (node: Y.XmlElement | Y.XmlFragment) => node.toArray().forEach((c) => {
      if (c instanceof Y.XmlText) texts.push(...(c.toDelta() as Array<{ insert: unknown }>).map((op) => (typeof op.insert === 'string' ? op.insert : '\ufffc')))
      else if (c instanceof Y.XmlElement) walk(c)
    })
    walk(fragment)
    return this.state.doc.textContent === texts.join('')
  }

  destroy(): void {
    if (this.isDestroyed) return
    this.isDestroyed = true
    for (const v of this.views) v.destroy?.()
  }
}
