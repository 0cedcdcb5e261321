import { h } from './h.ts'
import { confirmDialog, openModal } from './dialog.ts'
import { qrCode } from './qr-code.ts'
import type { HostedDraft, HostingApi } from '../../../crdt/contracts/host-api.ts'
import type { RelayEndpoint } from '../sync/relays.ts'

export interface HostDialogOptions {
  /** Null in the browser build, which cannot host. */
  hosting: HostingApi | null
  /** `recognitionKey`: a private draft's (crdt/meeting-session.ts), so only its key holders recognise the announcement. */
  draft: { id: string; title: string; private: boolean; recognitionKey?: string }
  member: string
  /** The invite link for these relays (the key of a private draft included). */
  inviteFor: (relays: RelayEndpoint[]) => string
  /** Hosting started or stopped: sync this draft through the app's own relay, or stop. */
  onHosting: (hosted: HostedDraft | null) => void
}

/**
 * "Meet on this network": host the open draft from this laptop for everyone in the
 * room, with the address, an invite link and its QR code to scan; or say plainly why
 * this build cannot, and how to join someone else's host.
 */
export const hostDialog = async (opts: HostDialogOptions): Promise<void> => {
  const body = h('div', { class: 'pk-host-body' })
  const error = h('p', { class: 'pk-dialog-error', role: 'alert' })
  const close = h('button', { type: 'button', class: 'pk-button', onclick: () => dialog.close() }, 'Close')
  const dialog = h('dialog', { class: 'pk-dialog pk-dialog-wide', 'aria-label': 'Meet on this network' },
    h('h2', {}, 'Meet on this network'),
    h('p', {}, 'No internet at the meeting? One laptop can host this draft for everyone on the same Wi-Fi. Everything done at the meeting merges with what others did elsewhere once members sync through a relay again.'),
    body, error,
    h('div', { class: 'pk-dialog-actions' }, close))
  dialog.addEventListener('close', () => dialog.remove())

  const api = opts.hosting
  const render = (hosted: HostedDraft | null, busy = false) => {
    if (!api) {
      body.replaceChildren(
        h('p', { class: 'pk-host-note' }, 'Hosting and joining a host need the Plank desktop app. A web page cannot open a server on this network, and it cannot check a meeting host’s certificate: the host makes its own for each meeting, and only the desktop app can match it with the fingerprint in the invite. A browser would show a warning page instead, and anyone on the Wi-Fi could put their own in front of you.'),
        h('p', { class: 'pk-muted' }, 'In this browser, keep writing without a network: everything is kept here, and it merges with what was done at the meeting once you sync through your usual relays again.'))
      return
    }
    if (!hosted || hosted.draftId !== opts.draft.id) {
      body.replaceChildren(
        ...(hosted ? [h('p', { class: 'pk-host-note' }, `This laptop is hosting “${hosted.title}”; hosting this draft stops that.`)] : []),
        h('button', { type: 'button', class: 'pk-button pk-primary pk-large', disabled: busy, onclick: () => void start() }, busy ? 'Starting…' : 'Host this draft on this network'),
        h('p', { class: 'pk-muted' }, opts.draft.private
          ? 'Others on this network see that a private draft is hosted (its title and your name are not announced; members who have the draft recognise it). Each hosting session has its own access token and certificate: only people with the invite can join, everything on the network is encrypted, and the invite stops working when you stop hosting.'
          : 'Others on this network see it under “Hosts near you”, with its title and your name. Each hosting session has its own access token and certificate: only people with the invite can join, everything on the network is encrypted, and the invite stops working when you stop hosting.'),
      )
      return
    }
    // Each address with the certificate's pin: members' apps connect only to this laptop, and only there send the token.
    const relays = hosted.addresses.map((url) => ({ url, token: hosted.token, pin: hosted.pin }))
    const invite = relays.length > 0 ? opts.inviteFor(relays) : ''
    const link = h('input', { class: 'pk-input pk-invite', type: 'text', readonly: true, 'aria-label': 'Invite link for this meeting', value: invite })
    body.replaceChildren(
      h('p', { class: 'pk-host-live', role: 'status' }, h('span', { class: 'pk-dot pk-dot-live' }), `Hosting “${hosted.title}” on this network`),
      relays.length === 0
        ? h('p', { class: 'pk-dialog-error' }, 'This laptop has no network address others can reach. Join a Wi-Fi network, then host again.')
        : h('div', { class: 'pk-host-grid' },
          qrCode(invite, 'QR code of the invite link for this meeting'),
          h('div', { class: 'pk-host-details' },
            h('div', { class: 'pk-muted' }, 'Address'),
            ...hosted.addresses.map((a) => h('code', { class: 'pk-host-address' }, a)),
            h('div', { class: 'pk-muted' }, 'Invite link (holds the token, this laptop’s certificate fingerprint', opts.draft.private ? ' and the draft’s key' : '', ')'),
            link,
            h('button', { type: 'button', class: 'pk-button pk-primary', onclick: () => { link.select(); void navigator.clipboard?.writeText(invite) } }, 'Copy invite link'))),
      h('button', { type: 'button', class: 'pk-button pk-danger', onclick: () => void stop() }, 'Stop hosting'),
    )
  }

  const start = async () => {
    error.textContent = ''
    render(null, true)
    const result = await api!.start({ draftId: opts.draft.id, title: opts.draft.title, member: opts.member, private: opts.draft.private, ...(opts.draft.recognitionKey ? { recognitionKey: opts.draft.recognitionKey } : {}) })
    if (!result.ok) {
      error.textContent = `Hosting could not start: ${result.error}`
      render(null)
      return
    }
    opts.onHosting(result.hosted)
    render(result.hosted)
  }
  const stop = async () => {
    const ok = await confirmDialog({ title: 'Stop hosting?', message: 'Everyone connected through this laptop is disconnected, and its invite link stops working. What they wrote is kept on their devices and merges when they sync again.', confirm: 'Stop hosting', danger: true })
    if (!ok) return
    await api!.stop()
    opts.onHosting(null)
    render(null)
  }

  render(api ? await api.state() : null)
  openModal(dialog, close)
}
