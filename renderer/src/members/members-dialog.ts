import type * as Y from 'yjs'
import { type Identity, ORIGIN, changeRole, foundRoster, members as membersRoot, readRoster, removeMember } from '../../../crdt/index.ts'
import { h } from '../ui/h.ts'
import { confirmDialog, openModal } from '../ui/dialog.ts'

export interface MembersDialogOptions {
  doc: Y.Doc
  identity: Identity
  myName: string
  canEdit: boolean
  exportIdentity: () => void
  importIdentity: () => void
}

/**
 * Who belongs to this draft, as the signed roster says: names, roles and the founder;
 * admins change roles and remove members; entries that did not count are listed with
 * why. Also where a member takes their identity to another device.
 */
export const membersDialog = (opts: MembersDialogOptions): void => {
  const { doc, identity } = opts
  const body = h('div', { class: 'pk-members-body' })
  const render = () => {
    const roster = readRoster(doc)
    const admin = roster.role(identity.id) === 'admin' && opts.canEdit
    if (!roster.established) {
      body.replaceChildren(
        h('p', {}, 'This draft has no member roster yet (it was made before members existed). Start one: you become its founder and first admin, and the invite links you share from then on make people members who can vote.'),
        h('button', { type: 'button', class: 'pk-button pk-primary', disabled: !opts.canEdit, onclick: () => foundRoster(doc, identity, opts.myName, Date.now(), ORIGIN.local) }, 'Start the roster'))
      return
    }
    body.replaceChildren(
      h('ul', { class: 'pk-members-list', 'aria-label': 'Members' }, ...roster.members.map((m) => h('li', { class: 'pk-member', 'data-member': m.id },
        h('span', { class: 'pk-member-name' }, m.name, m.id === identity.id ? h('span', { class: 'pk-muted' }, ' (you)') : null),
        h('span', { class: 'pk-chip', 'data-status': m.role === 'admin' ? 'open' : '' }, m.founder ? 'founder' : m.role),
        admin && !m.founder && m.id !== identity.id
          ? h('span', { class: 'pk-member-actions' },
            h('button', { type: 'button', class: 'pk-link-action', onclick: () => void setRole(m.id, m.name, m.role === 'admin' ? 'member' : 'admin') }, m.role === 'admin' ? 'Make member' : 'Make admin'),
            h('button', { type: 'button', class: 'pk-link-action pk-danger-text', onclick: () => void remove(m.id, m.name) }, 'Remove'))
          : null))),
      h('p', { class: 'pk-muted pk-small-text' }, admin
        ? 'Invite links you share (Share) admit new members. Removing a member voids their later votes; change the draft’s key too if it is private.'
        : 'Only admins invite, change roles and remove members.'),
      ...(roster.flagged.length
        ? [h('details', { class: 'pk-flagged-list' }, h('summary', {}, `${roster.flagged.length} ${roster.flagged.length === 1 ? 'entry' : 'entries'} on the roster did not count`),
          h('ul', {}, ...roster.flagged.map((f) => h('li', {}, f.why))))]
        : []),
    )
  }
  const remove = async (id: string, name: string) => {
    if (await confirmDialog({ title: `Remove ${name}?`, message: `${name} is taken off the roster: their ballots and positions no longer count, on every member’s device.`, confirm: 'Remove', danger: true })) {
      removeMember(doc, identity, id, Date.now(), ORIGIN.local)
    }
  }
  // Changing who may invite, remove and close votes is asked, like removing.
  const setRole = async (id: string, name: string, role: 'admin' | 'member') => {
    const ok = await confirmDialog(role === 'admin'
      ? { title: `Make ${name} an admin?`, message: `${name} will be able to invite members, remove them, change roles and close any vote.`, confirm: 'Make admin' }
      : { title: `Make ${name} a member?`, message: `${name} will no longer invite, remove members or close votes they did not open.`, confirm: 'Make member', danger: true })
    if (ok) changeRole(doc, identity, id, role, Date.now(), ORIGIN.local)
  }
  const onChange = () => render()
  membersRoot(doc).observe(onChange)
  const close = h('button', { type: 'button', class: 'pk-button', onclick: () => dialog.close() }, 'Close')
  const dialog = h('dialog', { class: 'pk-dialog pk-dialog-wide', 'aria-label': 'Members' },
    h('h2', {}, 'Members'),
    body,
    h('h3', { class: 'pk-dialog-sub' }, 'Your identity'),
    h('p', { class: 'pk-muted pk-small-text' }, `You sign everything you do here with a key made on this device (member key ${identity.id.slice(0, 10)}…). Export it, protected by a passphrase, to use the same identity on another device or to keep a backup.`),
    h('div', { class: 'pk-card-actions' },
      h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => { dialog.close(); opts.exportIdentity() } }, 'Export my identity…'),
      h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => { dialog.close(); opts.importIdentity() } }, 'Use an identity from another device…')),
    h('div', { class: 'pk-dialog-actions' }, close))
  dialog.addEventListener('close', () => { membersRoot(doc).unobserve(onChange); dialog.remove() })
  render()
  openModal(dialog, close)
}
