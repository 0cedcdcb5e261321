import type { MenuItemConstructorOptions } from 'electron'

/** Actions the menu sends to the renderer; must match renderer/src/platform.ts MenuAction. */
export const MENU_ACTIONS = ['new-draft', 'open-draft', 'export', 'rename-draft'] as const
export type MenuAction = (typeof MENU_ACTIONS)[number]

/**
 * The application menu. Items that concern drafts send a named action to the window;
 * Edit and View use Electron's roles so the system behaviours (and accessibility) come free.
 */
export const buildMenuTemplate = (opts: { isMac: boolean; appName: string; send: (action: MenuAction) => void }): MenuItemConstructorOptions[] => {
  const { isMac, appName, send } = opts
  const template: MenuItemConstructorOptions[] = []
  if (isMac) {
    template.push({
      label: appName,
      submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }],
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
  return template
}
