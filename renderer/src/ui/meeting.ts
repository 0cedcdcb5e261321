import { readTitle, UNTITLED } from '../../../crdt/index.ts'
import { hosting } from '../platform.ts'
import type { HostedDraft, NearbyHost } from '../../../crdt/contracts/host-api.ts'
import { parseInvite } from '../sync/invite.ts'
import type { RelayEndpoint } from '../sync/relays.ts'
import { h } from './h.ts'
import { promptDialog } from './dialog.ts'
import { hostDialog } from './host-dialog.ts'
import { renderNearbyHosts } from './nearby-hosts.ts'
import type { AppContext, Session } from './session.ts'

/**
 * A meeting without internet: hosting the open draft from this laptop, and the hosts
 * announced near it (desktop only; the browser build says it cannot host).
 */
export class Meeting {
  /** "Hosts near you", for the sidebar. */
  readonly nearbyEl = h('div', { class: 'pk-nearby-wrap' })
  /** The relay this app hosts for the room, while it does. */
  private hosted: HostedDraft | null = null

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
    await hostDialog({
      hosting,
      draft: { id: s.id, title: readTitle(s.doc) || UNTITLED, private: !!entry?.roomKey },
      member: this.ctx.memberName(),
      inviteFor: (relays) => this.inviting.inviteFor(s, relays),
      onHosting: (hosted) => void this.onHosting(hosted),
    })
  }

  /** This app syncs the hosted draft through its own relay while it hosts it. */
  private async onHosting(hosted: HostedDraft | null): Promise<void> {
    const previous = this.hosted
    this.hosted = hosted
    for (const [draft, add] of [[previous, false], [hosted, true]] as const) {
      if (!draft) continue
      const entry = this.ctx.entry(draft.draftId)
      if (!entry) continue
      const others = (entry.relays ?? []).filter((r) => r.url !== draft.local)
      await this.ctx.setRelays(entry.id, add ? [...others, { url: draft.local, token: draft.token }] : others)
    }
  }

  private showNearby(hosts: NearbyHost[]): void {
    this.nearbyEl.replaceChildren(...[renderNearbyHosts(hosts, (near) => void this.joinNearby(near))].filter((x) => x !== null))
  }

  /** Join a host found on this network, with the token (or the invite link) its member shows. */
  private async joinNearby(near: NearbyHost): Promise<void> {
    const text = await promptDialog({
      title: `Join “${near.title}”`,
      label: near.private ? `The invite link ${near.member} shows (it holds the draft’s key)` : `The invite link or the access token ${near.member} shows`,
      value: '',
      confirm: 'Join',
      validate: (v) => {
        const invite = parseInvite(v)
        if (invite) return invite.draftId === near.draftId ? null : 'That invite is for another draft.'
        if (near.private) return 'This draft is private: paste the whole invite link, which holds its key.'
        return /^[A-Za-z0-9_-]{20,}$/.test(v.trim()) ? null : 'Paste the invite link, or the access token.'
      },
    })
    if (text === null) return
    const invite = parseInvite(text)
    const relays = near.addresses.map((url) => ({ url, token: invite?.relays.find((r) => r.token)?.token ?? text.trim() }))
    await this.ctx.join(invite ? { ...invite, relays: [...relays, ...invite.relays.filter((r) => !relays.some((x) => x.url === r.url))] } : { draftId: near.draftId, title: near.title, relays })
  }
}
