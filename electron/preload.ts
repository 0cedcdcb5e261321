import { contextBridge, ipcRenderer } from 'electron'
import {
  CHANNELS, HOST_GLOBALS, MENU_ACTIONS,
  type DesktopHostApi, type HostedDraft, type HostingApi, type HostingRequest, type HostingResult, type InviteDelivery,
  type MenuAction, type NearbyHost, type SaveFileRequest, type SavePdfRequest,
} from '../crdt/contracts/host-api.ts'

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
 * No channel names, no ipcRenderer, no Node reach the page. Both objects are checked
 * against the host API the page is written to (crdt/contracts/host-api.ts).
 */
contextBridge.exposeInMainWorld(HOST_GLOBALS.host, {
  onMenuAction(handler: (action: MenuAction) => void) {
    ipcRenderer.on(CHANNELS.menu, (_event, action: unknown) => {
      if (typeof action === 'string' && (MENU_ACTIONS as readonly string[]).includes(action)) handler(action as MenuAction)
    })
  },
  openExternal(url: string) {
    void ipcRenderer.invoke(CHANNELS.openExternal, String(url))
  },
  saveFile(request: SaveFileRequest): Promise<boolean> {
    return ipcRenderer.invoke(CHANNELS.saveFile, {
      suggestedName: String(request.suggestedName),
      content: String(request.content),
      mimeType: String(request.mimeType),
    }) as Promise<boolean>
  },
  savePdf(request: SavePdfRequest): Promise<boolean> {
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
} satisfies DesktopHostApi)

/** Hosting a draft for the room, and the hosts found near us (desktop only). */
contextBridge.exposeInMainWorld(HOST_GLOBALS.hosting, {
  // ipcRenderer.invoke answers `any`: the return types say what main's handlers answer (electron/hosting-ipc.ts).
  start(request: HostingRequest): Promise<HostingResult> {
    return ipcRenderer.invoke(CHANNELS.hostStart, {
      draftId: String(request.draftId), title: String(request.title), member: String(request.member), private: request.private === true,
      ...(typeof request.recognitionKey === 'string' ? { recognitionKey: request.recognitionKey } : {}),
    })
  },
  /** Trust the meeting host's certificate at this wss:// address, by the pin its invite carries. */
  pinCertificate: (url: string, pin: string): Promise<boolean> => ipcRenderer.invoke(CHANNELS.pinCertificate, String(url), String(pin)),
  stop: (): Promise<void> => ipcRenderer.invoke(CHANNELS.hostStop),
  state: (): Promise<HostedDraft | null> => ipcRenderer.invoke(CHANNELS.hostState),
  nearby: (): Promise<NearbyHost[]> => ipcRenderer.invoke(CHANNELS.nearbyHosts),
  onNearby(handler: (hosts: NearbyHost[]) => void) {
    ipcRenderer.on(CHANNELS.nearbyChanged, () => { void ipcRenderer.invoke(CHANNELS.nearbyHosts).then(handler) })
  },
  /** Main stopped hosting on its own (after an unexpected error in main). */
  onStopped(handler: () => void) {
    ipcRenderer.on(CHANNELS.hostingStopped, () => handler())
  },
} satisfies HostingApi)
