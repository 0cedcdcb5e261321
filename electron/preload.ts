import { contextBridge, ipcRenderer } from 'electron'
import { CHANNELS } from './channels.ts'
import { MENU_ACTIONS, type MenuAction } from './menu.ts'
import type { HostingRequest } from './lan-host.ts'
import type { InviteDelivery } from './deep-links.ts'

/** Only the two shapes main sends, with string fields; anything else is dropped. */
const inviteDeliveries = (raw: unknown): InviteDelivery[] =>
  (Array.isArray(raw) ? raw : []).flatMap((d: unknown): InviteDelivery[] => {
    const r = (d ?? {}) as Record<string, unknown>
    if (typeof r.link === 'string') return [{ link: r.link }]
    if (typeof r.refused === 'string') return [{ refused: r.refused }]
    return []
  })

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
  /**
   * Invite links the system opened the app with (main read them strictly first). Main
   * keeps them until taken: taken now for the ones that came before the page, and again
   * whenever main says more are waiting.
   */
  onInviteLink(handler: (delivery: InviteDelivery) => void) {
    const take = () => void ipcRenderer.invoke(CHANNELS.takeInviteLinks).then((raw: unknown) => inviteDeliveries(raw).forEach(handler))
    ipcRenderer.on(CHANNELS.inviteLinksWaiting, take)
    take()
  },
})

/** Hosting a draft for the room, and the hosts found near us (desktop only). */
contextBridge.exposeInMainWorld('plankHosting', {
  start(request: HostingRequest) {
    return ipcRenderer.invoke(CHANNELS.hostStart, {
      draftId: String(request.draftId), title: String(request.title), member: String(request.member), private: request.private === true,
      ...(typeof request.recognitionKey === 'string' ? { recognitionKey: request.recognitionKey } : {}),
    })
  },
  /** Trust the meeting host's certificate at this wss:// address, by the pin its invite carries. */
  pinCertificate: (url: string, pin: string) => ipcRenderer.invoke(CHANNELS.pinCertificate, String(url), String(pin)),
  stop: () => ipcRenderer.invoke(CHANNELS.hostStop),
  state: () => ipcRenderer.invoke(CHANNELS.hostState),
  nearby: () => ipcRenderer.invoke(CHANNELS.nearbyHosts),
  onNearby(handler: (hosts: unknown) => void) {
    ipcRenderer.on(CHANNELS.nearbyChanged, () => { void ipcRenderer.invoke(CHANNELS.nearbyHosts).then(handler) })
  },
  /** Main stopped hosting on its own (after an unexpected error in main). */
  onStopped(handler: () => void) {
    ipcRenderer.on(CHANNELS.hostingStopped, () => handler())
  },
})
