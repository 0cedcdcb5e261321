/** IPC channel names shared by main and preload. The renderer never sees them. */
export const CHANNELS = {
  menu: 'plank:menu',
  openExternal: 'plank:open-external',
  saveFile: 'plank:save-file',
  savePdf: 'plank:save-pdf',
} as const
