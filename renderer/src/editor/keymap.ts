import { baseKeymap, chainCommands, exitCode, joinUp, joinDown, lift, selectParentNode } from 'prosemirror-commands'
import { keymap } from 'prosemirror-keymap'
import { splitListItem, liftListItem, sinkListItem } from 'prosemirror-schema-list'
import type { Command, Plugin } from 'prosemirror-state'
import { undoCommand as undo, redoCommand as redo } from 'y-prosemirror'
import { schema } from './schema.ts'
import { setBlockStyle, toggleBlockquote, toggleEm, toggleList, toggleStrong, toggleUnderline } from './commands.ts'

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|[oa]d)/.test(navigator.platform)

const insertHardBreak: Command = chainCommands(exitCode, (state, dispatch) => {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(schema.nodes.hard_break!.create()).scrollIntoView())
  return true
})

/**
 * Undo and redo go through y-prosemirror's undo manager, which tracks only this
 * member's own edits: undo never takes back what a colleague typed.
 */
export const platformKeymaps = (): Plugin[] => {
  const keys: Record<string, Command> = {
    'Mod-z': undo,
    'Shift-Mod-z': redo,
    'Mod-b': toggleStrong,
    'Mod-i': toggleEm,
    'Mod-u': toggleUnderline,
    'Shift-Enter': insertHardBreak,
    'Mod-Enter': insertHardBreak,
    'Alt-ArrowUp': joinUp,
    'Alt-ArrowDown': joinDown,
    'Mod-BracketLeft': lift,
    Escape: selectParentNode,
    'Shift-Ctrl-0': setBlockStyle('paragraph'),
    'Shift-Ctrl-2': setBlockStyle('plank'),
    'Shift-Ctrl-3': setBlockStyle('subsection'),
    'Shift-Ctrl-8': toggleList(schema.nodes.bullet_list!),
    'Shift-Ctrl-9': toggleList(schema.nodes.ordered_list!),
    'Ctrl->': toggleBlockquote,
    Enter: splitListItem(schema.nodes.list_item!),
    'Mod-[': liftListItem(schema.nodes.list_item!),
    'Mod-]': sinkListItem(schema.nodes.list_item!),
    Tab: sinkListItem(schema.nodes.list_item!),
    'Shift-Tab': liftListItem(schema.nodes.list_item!),
  }
  if (!isMac) keys['Mod-y'] = redo
  return [keymap(keys), keymap(baseKeymap)]
}
