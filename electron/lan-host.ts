import { randomBytes } from 'node:crypto'
import { hostname, networkInterfaces } from 'node:os'
import type { RunningRelay } from '../sync-server/src/relay-server.ts'
import type { RelayOptions } from '../sync-server/src/relay-server.ts'
import { roomToken } from '../sync-server/src/access.ts'
import type { HostedDraft, HostingRequest } from '../crdt/contracts/host-api.ts'
import { UNTITLED } from '../crdt/title.ts'
import { makeMeetingCertificate, type MeetingCertificate } from './meeting-certificate.ts'
import { announcementFor, type Announcement } from './lan-announcement.ts'
import { sessionOfPin } from '../crdt/meeting-session.ts'

/**
 * "Host this draft on this network" (the page asks through crdt/contracts/host-api.ts):
 * the relay core (the very code of sync-server/) running inside the desktop app, bound
 * to the local network, for a meeting with Wi-Fi but no internet. Each hosting session
 * makes a new secret, so the access token for the draft (HMAC of the secret and the
 * draft id, as any Plank relay checks it before a single document byte is sent) is
 * valid only until hosting stops, and a new key pair and certificate, so everything on
 * the Wi-Fi is TLS (wss://): the token, and an open draft's text, are not readable by
 * the others on the network. Joiners pin the certificate by the pin in the invite link
 * (certificate-pins.ts). The relay keeps its rooms in the app's data directory, so a
 * host that quits and hosts again still holds the meeting's edits. It is announced on
 * the network with DNS-SD (lan-announcement.ts says what the announcement tells;
 * lan-discovery.ts) so other members' apps list it.
 */

export interface Announcer {
  announce(info: Announcement): { stop(): Promise<void> }
}

export interface LanHostDeps {
  startRelay: (options: RelayOptions) => Promise<RunningRelay>
  /** Where the hosted rooms are kept (the app's data directory). */
  dataDir: string
  announcer: Announcer
  /** IPv4 addresses of this machine on its local networks. */
  lanAddresses?: () => string[]
  /** Interface to bind; all of them by default. */
  bindHost?: string
  /** Makes each session's key pair and certificate (a test may hand one it already pinned). */
  makeCertificate?: (addresses: string[]) => Promise<MeetingCertificate>
  log?: (message: string) => void
}

/** DNS-SD service type Plank hosts announce themselves under. */
export const SERVICE_TYPE = 'plank'

/** Non-internal IPv4 addresses, the ones other laptops in the room can reach. */
export const lanAddresses = (): string[] =>
  Object.values(networkInterfaces()).flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address)

const isDraftId = (id: string) => /^[A-Za-z0-9._~-]{1,200}$/.test(id)

export class LanHost {
  private relay: RunningRelay | null = null
  private hosted: HostedDraft | null = null
  private announcement: { stop(): Promise<void> } | null = null
  private starting: Promise<HostedDraft> | null = null

  constructor(private readonly deps: LanHostDeps) {}

  get current(): HostedDraft | null {
    return this.hosted
  }

  /** Host a draft (stopping any other draft hosted before). */
  async start(request: HostingRequest): Promise<HostedDraft> {
    if (!isDraftId(request.draftId)) throw new Error('That is not a draft id.')
    if (request.recognitionKey !== undefined && !/^[A-Za-z0-9_-]{43}$/.test(request.recognitionKey)) throw new Error('That is not a recognition key.')
    if (this.starting) await this.starting.catch(() => {})
    if (this.hosted?.draftId === request.draftId) return this.hosted
    await this.stop()
    this.starting = this.open(request)
    try {
      return await this.starting
    } finally {
      this.starting = null
    }
  }

  private async open(request: HostingRequest): Promise<HostedDraft> {
    const secret = randomBytes(32).toString('base64url')
    const ips = (this.deps.lanAddresses ?? lanAddresses)()
    const certificate = await (this.deps.makeCertificate ?? makeMeetingCertificate)(ips)
    const relay = await this.deps.startRelay({
      host: this.deps.bindHost ?? '0.0.0.0',
      port: 0,
      dataDir: this.deps.dataDir,
      appDir: undefined,
      secret,
      log: false,
      tls: { cert: certificate.cert, key: certificate.key },
    })
    const port = Number(new URL(relay.url).port)
    const title = request.title.slice(0, 120) || UNTITLED
    const member = request.member.slice(0, 60) || hostname()
    const hosted: HostedDraft = {
      draftId: request.draftId,
      title,
      member,
      port,
      token: roomToken(secret, request.draftId),
      pin: certificate.pin,
      session: sessionOfPin(certificate.pin),
      addresses: ips.map((ip) => `wss://${ip}:${port}`),
      local: `wss://127.0.0.1:${port}`,
    }
    this.relay = relay
    this.hosted = hosted
    try {
      this.announcement = this.deps.announcer.announce(announcementFor({
        draftId: request.draftId, title, member, private: request.private, port, pin: certificate.pin,
        ...(request.private && request.recognitionKey ? { recognitionKey: request.recognitionKey } : {}),
      }))
    } catch (err) {
      // Hosting works without discovery: the invite link still carries the address.
      this.deps.log?.(`could not announce on the network: ${err instanceof Error ? err.message : String(err)}`)
    }
    this.deps.log?.(`hosting draft ${request.draftId} on port ${port}`)
    return hosted
  }

  /** Stop hosting: withdraw the announcement, then close the relay (which flushes its store). */
  async stop(): Promise<void> {
    const relay = this.relay
    const announcement = this.announcement
    this.relay = null
    this.hosted = null
    this.announcement = null
    await announcement?.stop().catch(() => {})
    await relay?.close()
  }
}
