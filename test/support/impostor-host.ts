import { createServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { WebSocketServer } from 'ws'
import { Bonjour } from 'bonjour-service'
import type { MeetingCertificate } from '../../electron/meeting-certificate.ts'
import type { Announcement } from '../../electron/lan-announcement.ts'
import { bonjourAnnouncer } from '../../electron/lan-discovery.ts'

/**
 * Mallory on the meeting's Wi-Fi: a wss:// server with a certificate of her own (made
 * exactly as a meeting host makes one, so only its key differs), which records every
 * request that reaches it, and her copy of a host's announcement on DNS-SD.
 */
export const startImpostor = async (certificate: MeetingCertificate) => {
  /** Every HTTP request or WebSocket upgrade that got through TLS, with its URL (where a token would be). */
  const requests: string[] = []
  /** TLS handshakes that failed (a joiner refusing the certificate ends its handshake with an alert). */
  const refusedHandshakes: string[] = []
  const server = createServer({ cert: certificate.cert, key: certificate.key }, (req, res) => {
    requests.push(req.url ?? '')
    res.writeHead(404).end()
  })
  const wss = new WebSocketServer({ noServer: true })
  server.on('upgrade', (req, socket, head) => {
    requests.push(req.url ?? '')
    wss.handleUpgrade(req, socket, head, (ws) => ws.close())
  })
  server.on('tlsClientError', (err) => refusedHandshakes.push(err.message))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const bonjour = new Bonjour()
  let announcement: { stop(): Promise<void> } | null = null
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    refusedHandshakes,
    /** Announce a copy of someone's announcement (its name must differ to be listed beside it). */
    announce(copy: Announcement) {
      announcement = bonjourAnnouncer(bonjour).announce(copy)
    },
    async close() {
      await announcement?.stop()
      await new Promise<void>((resolve) => bonjour.destroy(() => resolve()))
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
