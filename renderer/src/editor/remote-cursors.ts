import { yCursorPlugin } from 'y-prosemirror'
import type { Plugin } from 'prosemirror-state'
import type { Awareness } from 'y-protocols/awareness'
import { ROOT } from '../../../crdt/format.ts'
import { safeColor } from '../../../crdt/author.ts'
import { readPeer } from '../sync/presence.ts'
import { h } from '../ui/h.ts'
import { colorStyle } from '../ui/color-style.ts'

/**
 * Other members' carets and selections in the editor: y-prosemirror's cursor plugin
 * with the one cursor builder Plank uses. Everything drawn comes through readPeer (a
 * plain, short name; a `#rrggbb` colour), so a peer's presence cannot restyle the page
 * (`#f00; position:fixed; width:100vw` stays a colour it is not) or inject markup.
 *
 * States whose cursor is not well-formed are not drawn at all: y-prosemirror decodes
 * cursors inside the editor's state update, where a malformed one (a string `user`, an
 * anchor without an id) would throw and stop the editor for every keystroke.
 */
const isId = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null) return false
  const { client, clock } = v as Record<string, unknown>
  return Number.isSafeInteger(client) && (client as number) >= 0 && Number.isSafeInteger(clock) && (clock as number) >= 0
}
const absent = (v: unknown) => v === undefined || v === null

/** A Y.RelativePosition as JSON that decodes without throwing and points into `content`. */
const isPosition = (v: unknown): boolean => {
  if (typeof v !== 'object' || v === null) return false
  const { type, tname, item, assoc } = v as Record<string, unknown>
  if (!(absent(type) || isId(type)) || !(absent(item) || isId(item))) return false
  if (!(absent(tname) || tname === ROOT.content)) return false
  if (!(absent(assoc) || Number.isSafeInteger(assoc))) return false
  return !absent(type) || !absent(item) || !absent(tname)
}

/** Whether y-prosemirror can draw this awareness state without throwing. */
export const drawableCursor = (state: unknown): boolean => {
  if (typeof state !== 'object' || state === null) return false
  const { user, cursor } = state as Record<string, unknown>
  if (!(absent(user) || (typeof user === 'object' && !Array.isArray(user)))) return false
  if (absent(cursor)) return true
  if (typeof cursor !== 'object') return false
  const { anchor, head } = cursor as Record<string, unknown>
  return isPosition(anchor) && isPosition(head)
}

export const buildCursor = (user: unknown, clientId: number): HTMLElement => {
  const peer = readPeer({ user }, clientId) ?? { name: 'A member', color: safeColor(null) }
  return h('span', { class: 'ProseMirror-yjs-cursor pk-remote-cursor', style: colorStyle('border-color', peer.color) },
    '\u2060',
    h('div', { class: 'pk-remote-cursor-name', dir: 'auto', style: colorStyle('background-color', peer.color) }, peer.name),
    '\u2060')
}

export const remoteCursors = (awareness: Awareness): Plugin => yCursorPlugin(awareness, {
  awarenessStateFilter: (mine: number, theirs: number, state: unknown) => mine !== theirs && drawableCursor(state),
  cursorBuilder: buildCursor,
  // A selection tint: the peer's colour at 44 % opacity (`#rrggbb` + alpha).
  selectionBuilder: (user: unknown, clientId: number) => ({
    class: 'ProseMirror-yjs-selection',
    style: colorStyle('background-color', readPeer({ user }, clientId)?.color, '70'),
  }),
})
