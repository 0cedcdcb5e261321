import { h, icon } from './h.ts'
import { confirmDialog, openModal } from './dialog.ts'
import { normaliseRelayUrl, type RelayEndpoint } from '../sync/relays.ts'
import type { RelayState } from '../sync/draft-sync.ts'

export interface ShareDialogOptions {
  relays: RelayEndpoint[]
  states: RelayState[]
  suggestion: string | null
  inviteFor: (relays: RelayEndpoint[]) => string
  onChange: (relays: RelayEndpoint[]) => void
  private: boolean
  /** Switch between private and open; offered only before the draft is shared. */
  onPrivacy: (makePrivate: boolean) => void
  /** Change a private draft's key (when a member is removed). */
  onRotateKey: () => void
  /** Open "Meet on this network" (hosting from this laptop). */
  onHost: () => void
  /** Open the members of this draft (the roster). */
  onMembers: () => void
}

const stateText = (s: RelayState | undefined): string => {
  if (!s) return ''
  if (s.state === 'refused') return `refused: ${s.reason}`
  if (s.state === 'synced' && (s.withheld ?? 0) > 0) return `synced, but holding back ${s.withheld} changes other members sent`
  if (s.state === 'offline' && s.reason) return `offline, retrying (${s.reason})`
  return { connecting: 'connecting…', sending: 'connected, sending this device’s changes…', synced: 'synced', offline: 'offline, retrying' }[s.state]
}

/**
 * Where this draft syncs, and the invite link that brings another member in. Relays
 * are per draft; with none, the draft stays on this device.
 */
export const shareDialog = (opts: ShareDialogOptions): void => {
  let relays = [...opts.relays]
  const list = h('ul', { class: 'pk-relay-list' })
  const urlInput = h('input', { class: 'pk-input', type: 'text', placeholder: 'wss://relay.example.org', 'aria-label': 'Relay address', value: relays.length === 0 && opts.suggestion ? opts.suggestion : '' })
  const tokenInput = h('input', { class: 'pk-input', type: 'text', placeholder: 'Access token (if the relay needs one)', 'aria-label': 'Access token' })
  const error = h('p', { class: 'pk-dialog-error', role: 'alert' })
  const link = h('input', { class: 'pk-input pk-invite', type: 'text', readonly: true, 'aria-label': 'Invite link' })
  const copy = h('button', { type: 'button', class: 'pk-button pk-primary' }, 'Copy invite link')

  const render = () => {
    list.replaceChildren(...(relays.length === 0
      ? [h('li', { class: 'pk-muted' }, 'No relays: this draft is only on this device.')]
      : relays.map((r) => h('li', {},
        h('span', { class: 'pk-relay-url' }, r.url), r.token ? h('span', { class: 'pk-muted' }, ' (token)') : null,
        r.pin ? h('span', { class: 'pk-muted', title: `Its certificate is pinned: ${r.pin}` }, 'meeting host') : null,
        h('span', { class: 'pk-relay-state' }, stateText(opts.states.find((s) => s.url === r.url))),
        h('button', { type: 'button', class: 'pk-link-action', onclick: () => { relays = relays.filter((x) => x !== r); opts.onChange(relays); render() } }, 'Remove'),
      ))))
    link.value = relays.length > 0 ? opts.inviteFor(relays) : ''
    copy.disabled = relays.length === 0
  }

  const add = () => {
    const url = normaliseRelayUrl(urlInput.value)
    if (!url) {
      error.textContent = 'Enter a relay address such as wss://relay.example.org or ws://192.168.1.20:1234.'
      return
    }
    error.textContent = ''
    const token = tokenInput.value.trim()
    relays = [...relays.filter((r) => r.url !== url), token ? { url, token } : { url }]
    urlInput.value = ''
    tokenInput.value = ''
    opts.onChange(relays)
    render()
  }

  copy.addEventListener('click', () => {
    link.select()
    void navigator.clipboard?.writeText(link.value).then(() => { copy.textContent = 'Copied' }, () => { copy.textContent = 'Select and copy the link' })
  })

  const privacy = h('div', { class: `pk-privacy ${opts.private ? 'pk-private' : 'pk-open'}`, role: 'note' },
    icon(opts.private ? 'lock' : 'unlock'),
    h('span', { class: 'pk-privacy-text' }, opts.private
      ? 'Private: relays store and pass on only encrypted data. The key is in the invite link, so share the link only with members.'
      : 'Open: relays, and anyone with a Yjs client who knows the draft’s name, can read this draft.'),
    opts.relays.length === 0
      ? h('button', { type: 'button', class: 'pk-link-action', onclick: () => void togglePrivacy() }, opts.private ? 'Make it open instead' : 'Make it private')
      : opts.private
        ? h('button', { type: 'button', class: 'pk-link-action', title: 'For when a member leaves: members need the new invite link; the old one reads nothing written from now on', onclick: () => { dialog.close(); opts.onRotateKey() } }, 'Change the key…')
        : null)
  // Turning encryption off is asked, never done by one Enter.
  const togglePrivacy = async () => {
    if (opts.private && !(await confirmDialog({
      title: 'Make this draft open?',
      message: 'Its text, comments and votes would no longer be encrypted: every relay it syncs through, and anyone with a Yjs client who knows the draft’s name, could read them. Keep it private unless it is meant for the public.',
      confirm: 'Make it open',
      cancel: 'Keep it private',
      danger: true,
    }))) return
    dialog.close()
    opts.onPrivacy(!opts.private)
  }
  const dialog = h('dialog', { class: 'pk-dialog pk-dialog-wide', 'aria-label': 'Share this draft' },
    h('h2', {}, 'Share this draft'),
    h('p', {}, 'Drafts sync through relays. Anyone can run one (npm run relay); a relay that dies loses nothing, since every member keeps a full copy.'),
    privacy,
    h('h3', { class: 'pk-dialog-sub' }, 'Relays'),
    list,
    h('form', { class: 'pk-relay-add', onsubmit: (e: Event) => { e.preventDefault(); add() } },
      urlInput, tokenInput, h('button', { type: 'submit', class: 'pk-button' }, 'Add relay')),
    error,
    h('h3', { class: 'pk-dialog-sub' }, 'Invite'),
    h('p', { class: 'pk-muted' }, 'Send this link to members. Opening it (or pasting it into “Join with invite”) brings the draft to their device and, when an admin shares it, puts them on the roster. ',
      h('button', { type: 'button', class: 'pk-link-action', onclick: () => { dialog.close(); opts.onMembers() } }, 'Members…')),
    link,
    h('h3', { class: 'pk-dialog-sub' }, 'Meeting without internet?'),
    h('p', { class: 'pk-muted pk-host-offer' }, 'One laptop can host this draft for everyone on the same Wi-Fi. ',
      h('button', { type: 'button', class: 'pk-link-action', onclick: () => { dialog.close(); opts.onHost() } }, 'Host on this network…')),
    h('div', { class: 'pk-dialog-actions' },
      h('button', { type: 'button', class: 'pk-button', onclick: () => { dialog.close(); dialog.remove() } }, 'Done'),
      copy),
  )
  dialog.addEventListener('close', () => dialog.remove())
  render()
  // The next step is adding a relay (or copying the link): never the privacy switch.
  openModal(dialog, relays.length === 0 ? urlInput : copy)
}
