import type { MenuItemConstructorOptions } from 'electron'
import type { MenuAction } from '../crdt/contracts/host-api.ts'

/** The update items (electron/updates.ts): main's own, they never reach the page. */
export interface UpdateMenu {
  automatic: boolean
  setAutomatic: (on: boolean) => void
  checkNow: () => void
}

const updateItems = (updates: UpdateMenu): MenuItemConstructorOptions[] => [
  { label: 'Check for Updates…', click: () => updates.checkNow() },
  // A checkbox: Electron flips `checked` before calling click, so the item says what is now true.
  { label: 'Update Automatically', type: 'checkbox', checked: updates.automatic, click: (item) => updates.setAutomatic(item.checked) },
]

/**
 * The application menu. Items that concern drafts send a named action to the window;
 * Edit and View use Electron's roles so the system behaviours (and accessibility) come free.
 * Updates sit in the app menu on macOS and under Help elsewhere, where each system's members look.
 */
export const buildMenuTemplate = (opts: { isMac: boolean; appName: string; send: (action: MenuAction) => void; updates: UpdateMenu }): MenuItemConstructorOptions[] => {
  const { isMac, appName, send, updates } = opts
  const template: MenuItemConstructorOptions[] = []
  if (isMac) {
    template.push({
      label: appName,
      submenu: [
        { role: 'about' }, { type: 'separator' }, ...updateItems(updates), { type: 'separator' },
        { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' },
      ],
    })
  }
  template.push(
    {
      label: 'File',
      submenu: [
        { label: 'New Draft', accelerator: 'CmdOrCtrl+N', click: () => send('new-draft') },
        { label: 'Open…', accelerator: 'CmdOrCtrl+O', click: () => send('open-draft') },
        { label: 'Rename Draft…', click: () => send('rename-draft') },
        { type: 'separator' },
        { label: 'Export…', accelerator: 'CmdOrCtrl+E', click: () => send('export') },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: 'Edit',
      // The roles send the browser's undo/redo, which the editor turns into its own
      // undo (renderer/src/editor/history-input.ts): only this member's changes.
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'pasteAndMatchStyle' }, { role: 'selectAll' },
      ],
    },
    {
      label: 'View',
      submenu: [{ role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }, { type: 'separator' }, { role: 'toggleDevTools' }],
    },
    { role: 'windowMenu' },
  )
  if (!isMac) template.push({ label: 'Help', submenu: updateItems(updates) })
  return template
}
