import type { Bonjour, Service } from 'bonjour-service'
import { type Announcer, SERVICE_TYPE } from './lan-host.ts'
import type { NearbyHost } from '../crdt/contracts/host-api.ts'
import { UNTITLED } from '../crdt/title.ts'
import { ANNOUNCEMENT_VERSION } from './lan-announcement.ts'

/**
 * Finding hosts in the room without typing addresses: DNS-SD over multicast DNS
 * (bonjour-service, a maintained pure-JS implementation). Hosts publish a `_plank._tcp`
 * service (its content: lan-announcement.ts); other apps browse for it. Announcements
 * come from anyone on the network, so everything read from them is checked and
 * bounded, and nothing in them is trusted: joining takes the address, the token and
 * the certificate pin from the invite link, never from an announcement. Announcements
 * of older Plank versions (plain ws://) are not listed: they cannot be joined safely.
 */

export const bonjourAnnouncer = (bonjour: Bonjour): Announcer => ({
  announce({ name, host, port, txt }) {
    const service = bonjour.publish({ name, host, type: SERVICE_TYPE, port, txt, probe: false })
    return {
      stop: () => new Promise<void>((resolve) => {
        if (typeof service.stop === 'function') service.stop(() => resolve())
        else resolve()
      }),
    }
  },
})

const text = (value: unknown, max: number): string | null => (typeof value === 'string' && value.length > 0 ? value.slice(0, max) : null)
const isIPv4 = (a: string) => /^(\d{1,3})(\.\d{1,3}){3}$/.test(a)

/** A host as announced, or null when the announcement is not a usable Plank host. */
export const readAnnouncement = (service: Pick<Service, 'name' | 'port' | 'txt' | 'addresses' | 'referer'>): NearbyHost | null => {
  const txt = (service.txt ?? {}) as Record<string, unknown>
  if (txt.v !== ANNOUNCEMENT_VERSION || typeof txt.s !== 'string' || !/^[0-9a-f]{32}$/.test(txt.s)) return null
  const port = Number(service.port)
  if (!Number.isInteger(port) || port < 1 || port > 65535) return null
  const addresses = [...new Set([...(service.addresses ?? []), ...(service.referer?.address ? [service.referer.address] : [])])].filter(isIPv4)
  if (addresses.length === 0) return null
  const common = { id: String(service.name).slice(0, 200), session: txt.s, port, addresses: addresses.map((a) => `wss://${a}:${port}`) }
  if (txt.private !== '0') {
    return { ...common, private: true, ...(typeof txt.tag === 'string' && /^[A-Za-z0-9_-]{22}$/.test(txt.tag) ? { tag: txt.tag } : {}) }
  }
  const draftId = text(txt.draft, 200)
  if (!draftId || !/^[A-Za-z0-9._~-]+$/.test(draftId)) return null
  return { ...common, private: false, member: text(txt.member, 60) ?? 'A member', title: text(txt.title, 120) ?? UNTITLED, draftId }
}

/** The hosts announced on the network right now, kept up to date. */
export class NearbyHosts {
  private readonly hosts = new Map<string, NearbyHost>()
  private readonly browser: ReturnType<Bonjour['find']>
  private readonly refresh: ReturnType<typeof setInterval>

  constructor(bonjour: Bonjour, private readonly onChange: (hosts: NearbyHost[]) => void, refreshMs = 10_000) {
    this.browser = bonjour.find({ type: SERVICE_TYPE })
    this.browser.on('up', (service: Service) => this.up(service))
    this.browser.on('down', (service: Service) => {
      if (this.hosts.delete(String(service.name))) this.onChange(this.list())
    })
    // Ask again now and then: a host that started before us, or whose first answer was lost.
    this.refresh = setInterval(() => this.browser.update(), refreshMs)
    this.refresh.unref?.()
  }

  private up(service: Service): void {
    const host = readAnnouncement(service)
    if (!host) return
    this.hosts.set(host.id, host)
    this.onChange(this.list())
  }

  list(): NearbyHost[] {
    // Open drafts by member and title; private ones (which name nothing) after them.
    const label = (h: NearbyHost) => (h.private ? h.session : `${h.member} ${h.title}`)
    return [...this.hosts.values()].sort((a, b) => Number(a.private) - Number(b.private) || label(a).localeCompare(label(b)))
  }

  stop(): void {
    clearInterval(this.refresh)
    this.browser.stop()
  }
}
