/**
 * The desktop host's API: everything electron/preload.ts exposes to the page, the IPC
 * channels it uses to reach main, and the types that cross between them. The preload's
 * objects `satisfies` these interfaces, main's handlers answer with these types, and
 * the renderer (renderer/src/platform.ts) reads `window.plank` through them, so a
 * renamed action or a changed field fails the build on every side instead of at run
 * time. Dependency-free (crdt/contracts/): types and constants only.
 *
 * The preload exposes named actions, never channels (STYLE.md 7): the page never sees
 * `CHANNELS`; they are the contract between main and the preload alone.
 */

/** The scheme the app is served under (plank://app/…) and that opens invite links. */
export const APP_SCHEME = 'plank'

/** What the app writes before an invite's fragment for the desktop app (crdt/invite-format.ts). */
export const INVITE_LINK_BASE = `${APP_SCHEME}://join`

/** The names the preload exposes its two objects under, on `window`. */
export const HOST_GLOBALS = { host: 'plank', hosting: 'plankHosting' } as const

/** IPC channel names shared by main and preload. The renderer never sees them. */
export const CHANNELS = {
  menu: 'plank:menu',
  openExternal: 'plank:open-external',
  saveFile: 'plank:save-file',
  savePdf: 'plank:save-pdf',
  hostStart: 'plank:host-start',
  hostStop: 'plank:host-stop',
  hostState: 'plank:host-state',
  nearbyHosts: 'plank:nearby-hosts',
  nearbyChanged: 'plank:nearby-changed',
  /** Page → main: trust a meeting host's certificate at one wss:// address, by its invite's pin. */
  pinCertificate: 'plank:pin-certificate',
  /** Main → page: invite links are waiting (the page then takes them). */
  inviteLinksWaiting: 'plank:invite-links-waiting',
  takeInviteLinks: 'plank:take-invite-links',
  /** Main → page: hosting stopped without the page asking (main hit an unexpected error). */
  hostingStopped: 'plank:hosting-stopped',
} as const

/** Actions the application menu (electron/menu.ts) sends to the page. */
export const MENU_ACTIONS = ['new-draft', 'open-draft', 'export', 'rename-draft'] as const
export type MenuAction = (typeof MENU_ACTIONS)[number]

export interface SaveFileRequest {
  suggestedName: string
  content: string
  mimeType: string
}

export interface SavePdfRequest {
  suggestedName: string
  /** Standalone, script-free HTML (publish/standalone-html.ts), printed as it is. */
  html: string
}

/**
 * An invite link the system opened the desktop app with, as main read it
 * (electron/deep-links.ts): a link in its canonical form, or why main refused it.
 */
export type InviteDelivery = { link: string } | { refused: string }

/** `window.plank`: the desktop app's named actions. */
export interface DesktopHostApi {
  onMenuAction(handler: (action: MenuAction) => void): void
  /**
   * plank:// links the system opened the app with (desktop only; a browser's links
   * arrive in its address bar). Each is asked about before anything changes.
   */
  onInviteLink(handler: (delivery: InviteDelivery) => void): void
  openExternal(url: string): void
  /** Resolves to false when the member cancelled. */
  saveFile(request: SaveFileRequest): Promise<boolean>
  /**
   * The desktop app prints to a PDF file through a native save dialog; a browser opens
   * its print dialog on the same HTML, where the member picks "Save as PDF".
   */
  savePdf(request: SavePdfRequest): Promise<boolean>
}

/** "Host this draft on this network" (electron/lan-host.ts). */
export interface HostingRequest {
  draftId: string
  title: string
  /** The hosting member's display name, shown to others as "whose laptop". */
  member: string
  /** Whether the draft is private (joining then needs the invite link, which holds the key). */
  private: boolean
  /**
   * A private draft's recognition key (base64url, 32 bytes, derived from its room key by
   * the page): the announcement's tag is made with it, so only key holders recognise it.
   */
  recognitionKey?: string
}

export interface HostedDraft {
  draftId: string
  title: string
  member: string
  port: number
  /** The token every peer must present for this draft during this hosting session. */
  token: string
  /**
   * The pin of this session's certificate, `sha256/` and the base64 SHA-256 of its
   * SubjectPublicKeyInfo (electron/certificate-pins.ts); invites carry it with each address.
   */
  pin: string
  /** The session id the announcement carries (derived from the pin: electron/lan-announcement.ts). */
  session: string
  /** wss:// addresses on each local network (for invites); the host's own app uses `local`. */
  addresses: string[]
  local: string
}

/** What the page gets back from asking to host: the hosted draft, or why not. */
export type HostingResult = { ok: true; hosted: HostedDraft } | { ok: false; error: string }

/**
 * A host announced on the local network (electron/lan-discovery.ts), every field checked
 * and bounded. Nothing in it is trusted: joining takes address, token and pin from the
 * invite link. A private draft's announcement names nothing (electron/lan-announcement.ts).
 */
export type NearbyHost = {
  /** Stable while the announcement lives (its DNS-SD name). */
  id: string
  /** The hosting session it claims (lan-announcement.ts); an invite's pin names one. */
  session: string
  port: number
  /** wss:// addresses the announcement came from (shown, never dialled with a token). */
  addresses: string[]
} & (
  | { private: false; member: string; title: string; draftId: string }
  /** `tag`: lets a holder of the draft's key recognise it; absent when the host gave none. */
  | { private: true; tag?: string }
)

/** `window.plankHosting`: hosting a draft for the room, and the hosts near us (desktop only). */
export interface HostingApi {
  start(request: HostingRequest): Promise<HostingResult>
  stop(): Promise<void>
  state(): Promise<HostedDraft | null>
  nearby(): Promise<NearbyHost[]>
  onNearby(handler: (hosts: NearbyHost[]) => void): void
  /** Main stopped hosting on its own (after an unexpected error there). */
  onStopped(handler: () => void): void
  /**
   * Trust a meeting host's certificate at this wss:// address, by the pin its invite
   * carries (electron/certificate-pins.ts). False when main refused the request.
   */
  pinCertificate(url: string, pin: string): Promise<boolean>
}
