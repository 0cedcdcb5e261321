import { Plugin } from 'prosemirror-state'
import { undoCommand, redoCommand } from 'y-prosemirror'

/**
 * The browser's own undo (the desktop menu's Edit › Undo, a touch bar, an IME) arrives
 * as a `historyUndo` beforeinput event. Route it to the collaborative undo manager, so
 * every way of undoing takes back only this member's changes.
 */
export const historyInputPlugin = (): Plugin => new Plugin({
  props: {
    handleDOMEvents: {
      beforeinput(view, event) {
        const command = event.inputType === 'historyUndo' ? undoCommand : event.inputType === 'historyRedo' ? redoCommand : null
        if (!command) return false
        event.preventDefault()
        return command(view.state, view.dispatch, view)
      },
    },
  },
})
