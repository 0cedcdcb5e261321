import type { Invite } from '../sync/invite.ts'
import type { RelayEndpoint } from '../sync/relays.ts'
import type { DraftEntry } from '../workspace/workspace.ts'
import { h } from './h.ts'
import { confirmDialog } from './dialog.ts'
import { UNTITLED } from '../../../crdt/title.ts'

/**
 * Asking before an invite link changes anything on this device. A link is untrusted:
 * anyone can make one for any draft id they have seen (relays and the local network
 * see draft ids). So a link from outside the app (the system's plank:// handler, the
 * address bar) is joined only when the member says so, and for a draft already here a
 * link never quietly adds relays or replaces the key: a crafted key would let its
 * maker read everything sealed from then on. Cancel is always the focused default.
 * (Key changes signed by an admin, issue 16, will let an honest new key through without
 * this question; until then the member decides, warned.)
 */

/** Where a link came from: what the member did decides what still needs asking. */
export type InviteSource =
  /** Pasted into a Join prompt: joining and its relays were asked for; a new key still is not. */
  | 'prompt'
  /** The browser build opened at a #join= address: how it joins a new draft; changes to one here are asked. */
  | 'address'
  /** The system opened the desktop app with a plank:// link: everything is asked. */
  | 'system'

/** What opening an invite would change on this device. */
export interface InviteChanges {
  /** The draft is not on this device yet. */
  isNew: boolean
  /** Relays the link would add to a draft already here. */
  newRelays: RelayEndpoint[]
  /** The link carries a key other than the one this device holds for the draft (or a key for an open draft). */
  otherKey: boolean
}

export const inviteChanges = (invite: Invite, existing: DraftEntry | undefined): InviteChanges => {
  if (!existing) return { isNew: true, newRelays: invite.relays, otherKey: false }
  const known = existing.relays ?? []
  return {
    isNew: false,
    // A relay here already, unless the link pins another certificate for its address (which would replace it).
    newRelays: invite.relays.filter((r) => !known.some((x) => x.url === r.url && (r.pin === undefined || x.pin === r.pin))),
    otherKey: invite.key !== undefined && invite.key !== existing.roomKey,
  }
}

/** The member's answer: what to apply. */
export interface InviteDecision {
  invite: Invite
  /** Make the link's key this draft's current key (always so for a new draft). */
  adoptKey: boolean
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/** A small modal with Cancel focused (confirmDialog), naming the relays a link involves. */
const ask = (opts: { title: string; paragraphs: string[]; relays?: RelayEndpoint[]; after?: string[]; confirm: string; danger?: boolean }): Promise<boolean> =>
  confirmDialog({
    title: opts.title,
    class: 'pk-invite-dialog',
    message: [
      ...opts.paragraphs.map((text) => h('p', {}, text)),
      opts.relays?.length
        ? h('ul', { class: 'pk-invite-relays', 'aria-label': 'Relays' }, ...opts.relays.map((r) => h('li', {}, hostOf(r.url))))
        : null,
      ...(opts.after ?? []).map((text) => h('p', {}, text)),
    ],
    confirm: opts.confirm,
    ...(opts.danger ? { danger: true } : {}),
  })

const titled = (title: string) => `“${title || UNTITLED}”`

/**
 * Ask what the link's source leaves unasked. Resolves to what to apply, or null when
 * the member said no (then nothing on this device changes).
 */
export const askAboutInvite = async (invite: Invite, existing: DraftEntry | undefined, source: InviteSource): Promise<InviteDecision | null> => {
  const changes = inviteChanges(invite, existing)
  if (changes.isNew) {
    if (source !== 'system') return { invite, adoptKey: true }
    const ok = await ask({
      title: `Join ${titled(invite.title)}?`,
      paragraphs: [`An invite link asks to bring the draft ${titled(invite.title)} to this device. It would sync through:`],
      relays: invite.relays,
      after: [
        invite.key
          ? 'It is private: the link holds its key, and relays see only sealed changes. Join only if a member you know sent you this link.'
          : 'It is an open draft: anyone who reaches these relays can read it. Join only if a member you know sent you this link.',
      ],
      confirm: 'Join',
    })
    return ok ? { invite, adoptKey: true } : null
  }
  const draft = titled(existing!.title)
  if (changes.otherKey) {
    const ok = await ask({
      title: `Use this link’s key for ${draft}?`,
      paragraphs: [
        `You already have ${draft} on this device, and this link carries a different key for it.`,
        'A new key is right when the draft’s key was changed, for instance after a member left. But anyone who has seen the draft’s id can make such a link, and whoever made a key can read everything sealed with it from then on.',
        'Use the new key only if a member you trust told you the key was changed. Cancel keeps your key and relays as they are.',
        ...(changes.newRelays.length > 0 ? ['With the new key, the link would also add these relays:'] : []),
      ],
      relays: changes.newRelays,
      confirm: 'Use the new key',
      danger: true,
    })
    return ok ? { invite, adoptKey: true } : null
  }
  if (changes.newRelays.length > 0 && source !== 'prompt') {
    const ok = await ask({
      title: `Add relays to ${draft}?`,
      paragraphs: [`You already have ${draft} on this device. This link would also sync it through:`],
      relays: changes.newRelays,
      after: [
        existing!.roomKey
          ? 'They would receive its changes, sealed with its key. Add them only if a member you know sent you this link.'
          : 'It is an open draft, so they would receive its text. Add them only if a member you know sent you this link.',
      ],
      confirm: 'Add relays',
    })
    return ok ? { invite, adoptKey: false } : null
  }
  // Nothing new: the link just opens the draft.
  return { invite, adoptKey: false }
}
