import { randomBytes } from 'node:crypto'
import { hostname, networkInterfaces } from 'node:os'
import type { RunningRelay } from '../sync-server/src/relay-server.ts'
import type { RelayOptions } from '../sync-server/src/relay-server.ts'
import { roomToken } from '../sync-server/src/access.ts'
import type { HostedDraft, HostingRequest } from '../crdt/contracts/host-api.ts'
import { UNTITLED } from '../crdt/title.ts'

/**
 * "Host this draft on this network" (the page asks through crdt/contracts/host-api.ts):
 * the relay core (the very code of sync-server/) running inside the desktop app, bound
 * to the local network, for a meeting with Wi-Fi but no internet. Each hosting session
 * makes a new secret, so the access token for the draft (HMAC of the secret and the
 * draft id, as any Plank relay checks it before a single document byte is sent) is
 * valid only until hosting stops. The relay keeps its rooms in the app's data
 * directory, so a host that quits and hosts again still holds the meeting's edits. It
 * is announced on the network with DNS-SD (see lan-discovery.ts) so other members'
 * apps list it as a host near them.
 */

export interface Announcer {
  announce(info: { name: string; port: number; txt: Record<string, string> }): { stop(): Promise<void> }
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
    const relay = await this.deps.startRelay({
      host: this.deps.bindHost ?? '0.0.0.0',
      port: 0,
      dataDir: this.deps.dataDir,
      appDir: undefined,
      secret,
      log: false,
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
      addresses: (this.deps.lanAddresses ?? lanAddresses)().map((ip) => `ws://${ip}:${port}`),
      local: `ws://127.0.0.1:${port}`,
    }
    this.relay = relay
    this.hosted = hosted
    try {
      this.announcement = this.deps.announcer.announce({
        // DNS-SD instance names must be unique on the network: the port tells two hosts on one laptop apart.
        name: `${member} · ${title} · ${port}`.slice(0, 63),
        port,
        txt: { v: '1', draft: request.draftId, title, member, private: request.private ? '1' : '0' },
      })
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
