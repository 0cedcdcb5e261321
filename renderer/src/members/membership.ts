import { ORIGIN, readTitle, safeName } from '../../../crdt/index.ts'
import { acceptInvitation, invitationKeyOf, inviteMembers, renameMember, revokeInvitation } from '../../../crdt/roster.ts'
import { members as membersRoot } from '../../../crdt/draft.ts'
import type { DraftEntry } from '../workspace/workspace.ts'
import type { RelayEndpoint } from '../sync/relays.ts'
import { inviteLink } from '../sync/invite.ts'
import { host } from '../platform.ts'
import { INVITE_LINK_BASE } from '../../../crdt/contracts/host-api.ts'
import { formDialog } from '../ui/dialog.ts'
import { showToast } from '../ui/toast.ts'
import { pickTextFile } from '../ui/pick-file.ts'
import type { AppContext, Session } from '../ui/session.ts'
import { membersDialog } from './members-dialog.ts'
import { exportIdentity, importIdentity, MIN_PASSPHRASE, type IdentityContents } from './identity-file.ts'

/**
 * This member and the drafts' rosters: invitations in the links an admin shares,
 * accepting the one a draft was joined with, the roster name following the profile,
 * the members dialog, and taking the identity to another device.
 */
export class Membership {
  constructor(private readonly ctx: AppContext, private readonly adoptIdentity: (contents: IdentityContents) => Promise<void>, private readonly profileSecret: () => IdentityContents) {}

  /**
   * The draft's entry, with an invitation for its links when this member is an admin
   * (made once per draft and device, and put on the roster, so links shared later
   * admit members too; made again once it no longer admits anyone, e.g. after a
   * removal voided it). Anyone else's links bring people to the draft but not onto its
   * roster.
   */
  invitingEntry(s: Session): DraftEntry | undefined {
    const entry = this.ctx.entry(s.id)
    const me = this.ctx.identity()
    const roster = s.ledger.roster()
    if (!entry || !this.ctx.canEdit(s) || roster.role(me.id) !== 'admin') return entry
    const current = entry.invitation ? invitationKeyOf(entry.invitation) : null
    if (current && roster.invitationOpen(current)) return entry
    entry.invitation = inviteMembers(s.ledger, me, { role: 'member', max: 500, now: Date.now() }, ORIGIN.local)
    void this.ctx.workspace.update(s.id, { invitation: entry.invitation })
    return entry
  }

  /** After a key change: void the invitation in the old links; the next link shared carries a new one. */
  renewInvitation(s: Session): void {
    const entry = this.ctx.entry(s.id)
    if (!entry?.invitation || !this.ctx.canEdit(s)) return
    if (s.ledger.roster().role(this.ctx.identity().id) === 'admin') revokeInvitation(s.ledger, this.ctx.identity(), entry.invitation, Date.now(), ORIGIN.local)
    entry.invitation = undefined
    void this.ctx.workspace.update(s.id, { invitation: undefined })
  }

  inviteFor(s: Session, relays: RelayEndpoint[]): string {
    const entry = this.ctx.entry(s.id)
    // A draft whose id does not name its founder: the link names the root this device trusts.
    const root = s.ledger.root()
    return inviteLink(host.kind === 'browser' ? window.location.href : INVITE_LINK_BASE, {
      draftId: s.id, relays, title: readTitle(s.doc),
      ...(entry?.roomKey ? { key: entry.roomKey } : {}),
      ...(entry?.invitation ? { invitation: entry.invitation } : {}),
      ...(root.kind === 'pinned' ? { root: root.id } : {}),
    })
  }

  /** Watch an opened draft: accept its pending invitation once possible, and keep the roster name current. */
  attach(s: Session): void {
    membersRoot(s.doc).observe(() => this.acceptPendingInvitation(s))
    this.acceptPendingInvitation(s)
    this.syncRosterName(s)
  }

  /**
   * Joined with an invitation: once the roster has arrived with the invitation on it,
   * put this member on it (their key, a proof made with the invitation's secret).
   */
  acceptPendingInvitation(s: Session): void {
    const entry = this.ctx.entry(s.id)
    const secret = entry?.pendingInvitation
    if (!entry || !secret || !this.ctx.canEdit(s)) return
    const me = this.ctx.identity()
    const roster = s.ledger.roster()
    const done = () => {
      entry.pendingInvitation = undefined
      void this.ctx.workspace.update(s.id, { pendingInvitation: undefined })
    }
    if (roster.has(me.id)) return done()
    if (!roster.established) return
    const invitationKey = invitationKeyOf(secret)
    if (!invitationKey) {
      showToast({ kind: 'error', message: 'The invitation in your link is damaged. Ask an admin for a new invite link.' })
      return done()
    }
    const invited = s.ledger.nodes('members').some((n) => n.entry.record.t === 'invite' && n.entry.record.invite === invitationKey)
    if (!invited) return // not arrived yet: tried again on the next change
    if (!roster.invitationOpen(invitationKey)) {
      showToast({ kind: 'error', message: 'The invitation in your link no longer admits new members (it was revoked, used up, or voided by a removal). You can read and edit the draft; ask an admin for a new invite link to join its roster.', duration: 12_000 })
      return done()
    }
    try {
      acceptInvitation(s.ledger, me, { secret, name: this.ctx.memberName(), now: Date.now() }, ORIGIN.local)
    } catch (err) {
      showToast({ kind: 'error', message: `The invitation in your link could not be used: ${err instanceof Error ? err.message : String(err)}` })
    }
    done()
  }

  /** The name on the roster follows the member's profile (a signed rename, only when it differs). */
  syncRosterName(s: Session): void {
    if (!this.ctx.canEdit(s)) return
    const me = this.ctx.identity()
    const onRoster = s.ledger.roster().members.find((m) => m.id === me.id)
    const name = this.ctx.memberName()
    // Compared as shown: the roster shows names cleaned by safeName.
    if (onRoster && onRoster.name !== safeName(name)) renameMember(s.ledger, me, name, Date.now(), ORIGIN.local)
  }

  manage(): void {
    const s = this.ctx.session()
    if (!s) return
    membersDialog({
      ledger: s.ledger, identity: this.ctx.identity(), myName: this.ctx.memberName(), canEdit: this.ctx.canEdit(s),
      exportIdentity: () => void this.exportIdentity(),
      importIdentity: () => void this.importIdentity(),
    })
  }

  private async exportIdentity(): Promise<void> {
    const values = await formDialog({
      title: 'Export your identity',
      intro: 'The file holds your member key, encrypted with this passphrase. With both, anyone can act as you: keep them apart and safe.',
      fields: [{ name: 'pass', label: 'Passphrase', secret: true }, { name: 'again', label: 'The same passphrase again', secret: true }],
      confirm: 'Export',
      validate: (v) => (v.pass!.length < MIN_PASSPHRASE ? `Use a passphrase of at least ${MIN_PASSPHRASE} characters.` : v.pass !== v.again ? 'The two passphrases differ.' : null),
    })
    if (!values) return
    const content = await exportIdentity(this.profileSecret(), values.pass!)
    if (await host.saveFile({ suggestedName: 'plank-identity.json', content, mimeType: 'application/json' })) showToast({ message: 'Identity exported.' })
  }

  private async importIdentity(): Promise<void> {
    const text = await pickTextFile('.json,application/json')
    if (text === null) return
    const values = await formDialog({
      title: 'Use an identity from another device',
      intro: 'This device will then sign as that member. Drafts you joined here under your current identity keep it on their rosters.',
      fields: [{ name: 'pass', label: 'Passphrase', secret: true }],
      confirm: 'Use this identity',
    })
    if (!values) return
    try {
      await this.adoptIdentity(await importIdentity(text, values.pass!))
      showToast({ message: `This device now signs as ${this.ctx.memberName()}.` })
    } catch (err) {
      showToast({ kind: 'error', message: err instanceof Error ? err.message : String(err) })
    }
  }
}
