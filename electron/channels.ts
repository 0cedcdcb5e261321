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
} as const
