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
