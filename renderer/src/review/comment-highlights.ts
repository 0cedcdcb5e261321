import { Plugin, PluginKey, type EditorState } from 'prosemirror-state'
import { Decoration, DecorationSet } from 'prosemirror-view'
import { ySyncPluginKey } from 'y-prosemirror'
import type { Thread } from '../../../crdt/comments.ts'
import { resolveAnchor } from './anchors.ts'

/**
 * Commented words are highlighted in the text; the thread open in the side panel more
 * strongly. Positions come from the anchors whenever the shared document changed from
 * outside (a peer, undo) or the comments changed, and are mapped through local edits
 * in between — y-prosemirror updates its position mapping only after a local edit has
 * been applied, so anchors cannot be resolved in the middle of one.
 */
export const commentHighlightsKey = new PluginKey<DecorationSet>('plank-comment-highlights')

/** Meta that asks for the highlights to be rebuilt from the anchors. */
export const REFRESH_HIGHLIGHTS = 'plank-refresh-highlights'

export interface HighlightSource {
  threads: () => readonly Thread[]
  active: () => string | null
  onActivate: (threadId: string) => void
}

const build = (state: EditorState, source: HighlightSource): DecorationSet => {
  const active = source.active()
  const decorations: Decoration[] = []
  for (const t of source.threads()) {
    if (!t.anchor || t.resolved) continue
    const range = resolveAnchor(state, t.anchor)
    if (!range) continue
    decorations.push(Decoration.inline(range.from, range.to, {
      class: t.id === active ? 'pk-commented pk-commented-active' : 'pk-commented',
      'data-thread': t.id,
    }, { thread: t.id }))
  }
  return DecorationSet.create(state.doc, decorations)
}

export const commentHighlights = (source: HighlightSource): Plugin<DecorationSet> => new Plugin<DecorationSet>({
  key: commentHighlightsKey,
  state: {
    init: () => DecorationSet.empty,
    apply(tr, set, _old, state) {
      const remote = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin
      if (tr.getMeta(REFRESH_HIGHLIGHTS) || remote) return build(state, source)
      return tr.docChanged ? set.map(tr.mapping, tr.doc) : set
    },
  },
  props: {
    decorations: (state) => commentHighlightsKey.getState(state),
    handleClick(view, pos) {
      const found = commentHighlightsKey.getState(view.state)?.find(pos, pos) ?? []
      const hit = found.find((d) => (d.spec as { thread?: string }).thread)
      if (hit) source.onActivate((hit.spec as { thread: string }).thread)
      return false
    },
  },
})
