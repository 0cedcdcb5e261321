import { contextBridge, ipcRenderer } from 'electron'
import { CHANNELS } from './channels.ts'
import { MENU_ACTIONS, type MenuAction } from './menu.ts'

/**
 * The renderer's only door to the desktop: named actions with checked arguments.
 * No channel names, no ipcRenderer, no Node reach the page.
 */
contextBridge.exposeInMainWorld('plank', {
  onMenuAction(handler: (action: MenuAction) => void) {
    ipcRenderer.on(CHANNELS.menu, (_event, action: unknown) => {
      if (typeof action === 'string' && (MENU_ACTIONS as readonly string[]).includes(action)) handler(action as MenuAction)
    })
  },
  openExternal(url: string) {
    void ipcRenderer.invoke(CHANNELS.openExternal, String(url))
  },
  saveFile(request: { suggestedName: string; content: string; mimeType: string }): Promise<boolean> {
    return ipcRenderer.invoke(CHANNELS.saveFile, {
      suggestedName: String(request.suggestedName),
      content: String(request.content),
      mimeType: String(request.mimeType),
    }) as Promise<boolean>
  },
  savePdf(request: { suggestedName: string; html: string }): Promise<boolean> {
    return ipcRenderer.invoke(CHANNELS.savePdf, { suggestedName: String(request.suggestedName), html: String(request.html) }) as Promise<boolean>
  },
})
