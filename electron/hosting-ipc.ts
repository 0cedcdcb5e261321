import type { IpcMain } from 'electron'
import { isTrustedSender } from './security.ts'
import type { LanHost } from './lan-host.ts'
import type { CertificatePins } from './certificate-pins.ts'
import { CHANNELS, type HostedDraft, type HostingResult, type NearbyHost } from '../crdt/contracts/host-api.ts'

export interface HostingIpcDeps {
  ipcMain: Pick<IpcMain, 'handle'>
  lanHost: LanHost
  nearby: () => NearbyHost[]
  /** Meeting hosts' certificates the page asked to trust, by the pins its invites carry. */
  pins: CertificatePins
  log: (message: string) => void
}

/**
 * The main-process side of "Host this draft on this network" and "Hosts near you".
 * Like every handler, each checks the message comes from our own page and validates
 * what it is given. Hosts this app itself announces are left out of the nearby list.
 */
export const registerHostingIpc = (deps: HostingIpcDeps): void => {
  const trusted = (event: Parameters<Parameters<IpcMain['handle']>[1]>[0], channel: string) => {
    if (isTrustedSender(event)) return true
    deps.log(`refused ${channel} from an untrusted sender`)
    return false
  }

  deps.ipcMain.handle(CHANNELS.hostStart, async (event, request: unknown): Promise<HostingResult> => {
    if (!trusted(event, CHANNELS.hostStart)) return { ok: false, error: 'Refused.' }
    const r = (request ?? {}) as Record<string, unknown>
    if (typeof r.draftId !== 'string' || typeof r.title !== 'string' || typeof r.member !== 'string' || typeof r.private !== 'boolean' ||
      (r.recognitionKey !== undefined && typeof r.recognitionKey !== 'string')) {
      return { ok: false, error: 'That is not a hosting request.' }
    }
    try {
      const recognition = typeof r.recognitionKey === 'string' ? { recognitionKey: r.recognitionKey } : {}
      return { ok: true, hosted: await deps.lanHost.start({ draftId: r.draftId, title: r.title, member: r.member, private: r.private, ...recognition }) }
    } catch (err) {
      deps.log(`hosting failed: ${err instanceof Error ? err.message : String(err)}`)
      return { ok: false, error: err instanceof Error ? err.message : String(err) }
    }
  })

  deps.ipcMain.handle(CHANNELS.hostStop, async (event): Promise<void> => {
    if (trusted(event, CHANNELS.hostStop)) await deps.lanHost.stop()
  })

  deps.ipcMain.handle(CHANNELS.hostState, (event): HostedDraft | null => (trusted(event, CHANNELS.hostState) ? deps.lanHost.current : null))

  deps.ipcMain.handle(CHANNELS.nearbyHosts, (event): NearbyHost[] => (trusted(event, CHANNELS.nearbyHosts) ? othersNearby(deps.nearby(), deps.lanHost.current) : []))

  // Before the page dials a relay its invite pinned, main learns the pin (false: not a wss:// address and a pin).
  deps.ipcMain.handle(CHANNELS.pinCertificate, (event, url: unknown, pin: unknown): boolean => {
    if (!trusted(event, CHANNELS.pinCertificate)) return false
    const ok = deps.pins.add(url, pin)
    if (!ok) deps.log('refused to pin a certificate: not a wss:// address with a pin, or too many pins')
    return ok
  })
}

/** The nearby hosts, without the one this app is running. */
export const othersNearby = (hosts: NearbyHost[], own: HostedDraft | null): NearbyHost[] =>
  own ? hosts.filter((h) => h.session !== own.session) : hosts
