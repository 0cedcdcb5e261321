/**
 * The app's Content Security Policy, defined once. Every way the built app reaches a
 * page sends it: the desktop app's plank:// protocol (electron/app-protocol.ts) and a
 * relay serving the browser build (sync-server/src/static-files.ts) as a header, and
 * renderer/index.html as a meta tag written in at build time (renderer/vite.config.ts),
 * which also covers the dev server.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // Inline styles stay allowed because y-prosemirror colours remote cursors with style attributes.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  // Relays are ws:/wss: endpoints chosen per draft; nothing else may be fetched.
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "frame-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')
