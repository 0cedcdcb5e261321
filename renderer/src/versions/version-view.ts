import * as Y from 'yjs'
import { EditorState } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { type ProsemirrorBinding, yXmlFragmentToProseMirrorRootNode, ySyncPlugin, ySyncPluginKey } from 'y-prosemirror'
import { type Roster, content, copyDraft, personOf, readAttribution, type Version, versionDoc } from '../../../crdt/index.ts'
import { schema } from '../editor/schema.ts'
import { compareSchema } from './compare-schema.ts'
import { makeShowable } from '../editor/showable-copy.ts'
import { wordLevelChanges } from './word-changes.ts'

/**
 * Read-only views of a draft's past, shown in place of the editor: one version as it
 * stood, or the changes between two states with who made them. Both work on a copy
 * of the draft, so nothing here can write to the draft itself.
 */
export interface PastView {
  destroy(): void
}

const readOnlyAttributes = { class: 'pk-prose pk-past-editor', 'aria-readonly': 'true', role: 'document' }

/** One version, exactly as it was saved (open proposals of the time included). */
export const showVersion = (mount: HTMLElement, doc: Y.Doc, version: Version): PastView => {
  const at = versionDoc(doc, version)
  makeShowable(schema, at)
  const pm = yXmlFragmentToProseMirrorRootNode(content(at), schema)
  at.destroy()
  const view = new EditorView(mount, { state: EditorState.create({ schema, doc: pm }), editable: () => false, attributes: readOnlyAttributes })
  return { destroy: () => view.destroy() }
}

/**
 * The changes from `from` to `to` (or to the draft now): y-prosemirror's snapshot
 * rendering, with each added and removed run attributed through the draft's
 * permanent user data. Resolves once the comparison is on screen.
 */
export const showComparison = async (mount: HTMLElement, doc: Y.Doc, roster: Roster, from: Version, to: Version | null): Promise<PastView> => {
  const copy = copyDraft(doc)
  const pud = readAttribution(copy)
  // Names from member keys: the name a member signed onto the roster, else the last one their app recorded.
  const person = (user: string | null) => {
    const known = personOf(copy, user) ?? { name: 'an unknown member', color: '#64748b' }
    const name = user ? roster.nameOf(user) : null
    return name ? { ...known, name } : known
  }
  const compare = compareSchema(person)
  let requested = false
  let onRendered = () => {}
  const rendered = new Promise<void>((resolve) => { onRendered = resolve })
  const view: EditorView = new EditorView(document.createElement('div'), {
    state: EditorState.create({ schema: compare, plugins: [ySyncPlugin(content(copy), { permanentUserData: pud })] }),
    editable: () => false,
    attributes: readOnlyAttributes,
    dispatchTransaction(this: EditorView, tr) {
      this.updateState(this.state.apply(tr))
      // The binding renders the snapshot on the next tick, as a change of its own.
      if (requested && (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin) onRendered()
    },
  })
  const binding = (ySyncPluginKey.getState(view.state) as { binding: ProsemirrorBinding }).binding
  requested = true
  binding.renderSnapshot(to ? Y.decodeSnapshot(to.snapshot) : Y.snapshot(copy), Y.decodeSnapshot(from.snapshot))
  await rendered
  // Rendered by the binding; now shown word by word, in a plain view with no binding.
  const doc2 = wordLevelChanges(view.state.doc)
  view.destroy()
  copy.destroy()
  const shown = new EditorView(mount, { state: EditorState.create({ schema: compare, doc: doc2 }), editable: () => false, attributes: readOnlyAttributes })
  return { destroy: () => shown.destroy() }
}

/** The members who made the changes on screen, for the comparison's legend. */
export const changeAuthors = (mount: HTMLElement): Array<{ name: string; color: string }> => {
  const seen = new Map<string, string>()
  for (const el of mount.querySelectorAll<HTMLElement>('.pk-diff')) {
    const name = el.dataset.author ?? ''
    if (!seen.has(name)) seen.set(name, el.style.getPropertyValue('--pk-diff-color'))
  }
  return [...seen].map(([name, color]) => ({ name, color }))
}
