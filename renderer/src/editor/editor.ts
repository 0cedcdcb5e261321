import { EditorState, type Plugin, type Transaction } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { dropCursor } from 'prosemirror-dropcursor'
import { gapCursor } from 'prosemirror-gapcursor'
import { initProseMirrorDoc, ySyncPlugin, yUndoPlugin, yUndoPluginKey } from 'y-prosemirror'
import type * as Y from 'yjs'
import { schema } from './schema.ts'
import { platformKeymaps } from './keymap.ts'
import { platformInputRules } from './input-rules.ts'
import { placeholderPlugin } from './placeholder.ts'
import { linkClickPlugin } from './link-click.ts'
import { historyInputPlugin } from './history-input.ts'
import { keepCaretWithOwnText } from './caret-bias.ts'
import { titlesToHeadings } from './paste-title.ts'

export interface EditorOptions {
  /** Asked on every update: a joined draft becomes editable once it has arrived. */
  editable: () => boolean
  openExternal: (url: string) => void
  /** Called after every state change (toolbar, outline, word count). */
  onState: (view: EditorView) => void
  /** More plugins from features layered on top (presence, comments…). */
  plugins?: Plugin[]
  /**
   * Rewrites a transaction before it is applied (propose mode turns edits into
   * proposals). Returning null drops it: the edit was refused and the member told why.
   */
  transform?: (tr: Transaction, state: EditorState) => Transaction | null
}

/**
 * An editor bound to a draft's `content`. The Y.XmlFragment is the source of truth:
 * the editor starts empty and y-prosemirror fills it from the document, so opening a
 * draft never writes anything into it.
 */
export const createEditor = (mount: HTMLElement, fragment: Y.XmlFragment, options: EditorOptions): EditorView => {
  // Build the first document straight from the fragment (no empty frame, no re-render);
  // an empty fragment (a draft not yet received from a peer) is filled in by the binding.
  const initial = fragment.length > 0 ? initProseMirrorDoc(fragment, schema) : null
  const state = EditorState.create({
    schema,
    doc: initial?.doc,
    plugins: [
      ySyncPlugin(fragment, initial ? { mapping: initial.mapping } : {}),
      yUndoPlugin(),
      ...platformKeymaps(),
      platformInputRules(),
      dropCursor(),
      gapCursor(),
      placeholderPlugin(),
      linkClickPlugin(options.openExternal),
      historyInputPlugin(),
      ...(options.plugins ?? []),
    ],
  })
  const view: EditorView = new EditorView(mount, {
    state,
    editable: options.editable,
    attributes: { class: 'pk-editor pk-prose', spellcheck: 'true', 'aria-label': 'Draft text', role: 'textbox', 'aria-multiline': 'true' },
    transformPasted: titlesToHeadings,
    // `this` is the view: plugin views (the remote-cursor plugin) may dispatch while the
    // view is still being constructed, before the `view` binding exists.
    // y-prosemirror also defers some dispatches (cursor metadata) to a later tick, which
    // can land after the member switched drafts and this view was destroyed.
    dispatchTransaction(this: EditorView, tr) {
      if (this.isDestroyed) return
      const next = options.transform ? options.transform(tr, this.state) : tr
      if (next === null) return
      this.updateState(this.state.apply(next))
      options.onState(this)
    },
  })
  keepCaretWithOwnText(view)
  options.onState(view)
  return view
}

/** Whether this member has something of their own to undo or redo. */
export const undoDepth = (view: EditorView): { undo: number; redo: number } => {
  const manager = yUndoPluginKey.getState(view.state)?.undoManager
  return { undo: manager?.undoStack.length ?? 0, redo: manager?.redoStack.length ?? 0 }
}
