import type { EditorView } from 'prosemirror-view'
import { TextSelection } from 'prosemirror-state'
import { outlineOf } from '../editor/outline.ts'
import { h } from './h.ts'

/** The sections of the open draft; a click moves the caret there and scrolls to it. */
export const renderOutline = (view: EditorView | null): HTMLElement => {
  const entries = view ? outlineOf(view.state.doc) : []
  if (entries.length === 0) {
    return h('p', { class: 'pk-muted pk-pad' }, view ? 'Add a plank heading (type ## and a space) and it appears here.' : '')
  }
  return h('ol', { class: 'pk-outline', 'aria-label': 'Sections' },
    ...entries.map((entry) =>
      h('li', { class: `pk-outline-l${entry.level}` },
        h('button', {
          onclick: () => {
            const pos = Math.min(entry.pos + 1, view!.state.doc.content.size)
            view!.dispatch(view!.state.tr.setSelection(TextSelection.create(view!.state.doc, pos)))
            const dom = view!.nodeDOM(entry.pos)
            if (dom instanceof HTMLElement) dom.scrollIntoView({ block: 'start', behavior: 'smooth' })
            view!.focus()
          },
        }, entry.text || 'Untitled section'),
      )),
  )
}
