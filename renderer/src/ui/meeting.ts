import { readTitle, UNTITLED } from '../../../crdt/index.ts'
import { hosting } from '../platform.ts'
import type { HostedDraft, NearbyHost } from '../../../crdt/contracts/host-api.ts'
import { readInvite } from '../sync/invite.ts'
import { inviteMismatch, recognise } from '../sync/meeting-match.ts'
import { recognitionKey } from '../../../crdt/meeting-session.ts'
import type { RelayEndpoint } from '../sync/relays.ts'
import { promptDialog } from './dialog.ts'
import { h } from './h.ts'
import { hostDialog } from './host-dialog.ts'
import { renderNearbyHosts, type ShownHost } from './nearby-hosts.ts'
import type { AppContext, Session } from './session.ts'

/**
 * A meeting without internet: hosting the open draft from this laptop, and the hosts
 * announced near it (desktop only; the browser build says it can neither host nor
 * join a host). The host serves wss:// with a certificate made for the session, and
 * its invite carries that certificate's pin; an announcement is anyone's word, so it
 * only lists a host: joining always takes the address, token and pin from the invite.
 */
export class Meeting {
  /** "Hosts near you", for the sidebar. */
  readonly nearbyEl = h('div', { class: 'pk-nearby-wrap' })
  /** The relay this app hosts for the room, while it does. */
  private hosted: HostedDraft | null = null
  private nearby: NearbyHost[] = []

  constructor(private readonly ctx: AppContext, private readonly inviting: { invitingEntry(s: Session): { roomKey?: string } | undefined; inviteFor(s: Session, relays: RelayEndpoint[]): string }) {
    if (hosting) {
      hosting.onNearby((hosts) => this.showNearby(hosts))
      void hosting.nearby().then((hosts) => this.showNearby(hosts))
      void hosting.state().then((hosted) => { this.hosted = hosted })
      // Main stopped hosting after an error of its own (and said so): stop syncing through it.
      hosting.onStopped(() => void this.onHosting(null))
    }
  }

  /** "Meet on this network": host the open draft from this laptop. */
  async host(): Promise<void> {
    const s = this.ctx.session()
    if (!s) return
    const entry = this.inviting.invitingEntry(s)
    // Only holders of the room key can tell which private draft the announcement is for.
    const recognition = entry?.roomKey ? recognitionKey(entry.roomKey, s.id) : null
    await hostDialog({
      hosting,
      draft: { id: s.id, title: readTitle(s.doc) || UNTITLED, private: !!entry?.roomKey, ...(recognition ? { recognitionKey: recognition } : {}) },
      member: this.ctx.memberName(),
      inviteFor: (relays) => this.inviting.inviteFor(s, relays),
      onHosting: (hosted) => void this.onHosting(hosted),
    })
  }

  /** This app syncs the hosted draft through its own relay (pinned like any joiner's) while it hosts it. */
  private async onHosting(hosted: HostedDraft | null): Promise<void> {
    const previous = this.hosted
    this.hosted = hosted
    for (const [draft, add] of [[previous, false], [hosted, true]] as const) {
      if (!draft) continue
      const entry = this.ctx.entry(draft.draftId)
      if (!entry) continue
      const others = (entry.relays ?? []).filter((r) => r.url !== draft.local)
      await this.ctx.setRelays(entry.id, add ? [...others, { url: draft.local, token: draft.token, pin: draft.pin }] : others)
    }
  }

  /** The drafts on this device may have changed (one joined, one removed): name the hosts again. */
  refresh(): void {
    this.showNearby(this.nearby)
  }

  private showNearby(hosts: NearbyHost[]): void {
    this.nearby = hosts
    const drafts = this.ctx.drafts()
    const shown = hosts.map((host): ShownHost => {
      if (!host.private) return { host, title: host.title, by: `${host.member}’s laptop`, named: true }
      const mine = recognise(host, drafts)
      return mine
        ? { host, title: mine.title || UNTITLED, by: 'Private · a laptop nearby', named: true }
        : { host, title: 'A private draft', by: 'A laptop nearby', named: false }
    })
    this.nearbyEl.replaceChildren(...[renderNearbyHosts(shown, (near) => void this.joinNearby(near))].filter((x) => x !== null))
  }

  /** Join a host found on this network with the invite its member shows: only the invite says where and to whom the token may go. */
  private async joinNearby(near: ShownHost): Promise<void> {
    const text = await promptDialog({
      title: `Join “${near.title}”`,
      label: `The invite link the hosting member shows (it holds the host’s certificate fingerprint${near.host.private ? ' and the draft’s key' : ''})`,
      value: '',
      confirm: 'Join',
      validate: (v) => {
        const reading = readInvite(v)
        return reading.ok ? inviteMismatch(reading.invite, near.host) : reading.reason
      },
    })
    if (text === null) return
    const reading = readInvite(text)
    if (reading.ok) await this.ctx.join(reading.invite)
  }
}
