import { type Identity, type Ledger, type RootState, ORIGIN, changeRole, members as membersRoot, questionsLog, removeMember, startRoster } from '../../../crdt/index.ts'
import { h } from '../ui/h.ts'
import { confirmDialog, openModal } from '../ui/dialog.ts'
import { problemText } from './problem-text.ts'

export interface MembersDialogOptions {
  ledger: Ledger
  identity: Identity
  myName: string
  canEdit: boolean
  exportIdentity: () => void
  importIdentity: () => void
}

/** What this device knows of the draft's founder, in words. */
const rootLine = (root: RootState): string | null => {
  switch (root.kind) {
    case 'rooted': return null
    case 'pinned': return root.from === 'invite'
      ? 'This draft was made before drafts named their founder; this device trusts the founder your invite link named.'
      : 'This draft was made before drafts named their founder; this device trusts the founder it first saw, and refuses any other. Invite links shared from here name that founder.'
    case 'waiting': return root.id ? 'Waiting for the founding entry your invite link names…' : 'Waiting for this draft’s founding entry to arrive…'
    case 'contested': return 'This draft holds several founding entries and its id names none of them, so this device cannot tell who founded it. Join again with an invite link from a current admin: it names the real one.'
    case 'none': return null
  }
}

/**
 * Who belongs to this draft, as the signed roster says: names, roles and the founder;
 * admins change roles and remove members; entries that did not count are listed with
 * why. Also where a member takes their identity to another device.
 */
export const membersDialog = (opts: MembersDialogOptions): void => {
  const { ledger, identity } = opts
  const doc = ledger.doc
  const body = h('div', { class: 'pk-members-body' })
  const render = () => {
    const roster = ledger.roster()
    const root = ledger.root()
    const admin = roster.role(identity.id) === 'admin' && opts.canEdit
    const problems = ledger.problems()
    const note = rootLine(root)
    const problemList = problems.length
      ? [h('details', { class: 'pk-flagged-list', open: problems.some((p) => p.alarm) }, h('summary', {}, `${problems.length} ${problems.length === 1 ? 'record' : 'records'} did not count${problems.some((p) => p.alarm) ? ' — some were refused or tampered with' : ''}`),
        h('ul', {}, ...problems.sort((a, b) => Number(b.alarm) - Number(a.alarm)).map((p) => h('li', { 'data-kind': p.kind, class: p.alarm ? 'pk-flag-alarm' : '' }, problemText(p, roster)))))]
      : []
    if (!roster.established) {
      body.replaceChildren(
        ...(note ? [h('p', { class: 'pk-warning pk-root-note' }, note)] : []),
        ...(root.kind === 'none'
          ? [h('p', {}, 'This draft has no member roster yet (it was made before members existed). Start one: you become its founder and first admin, and the invite links you share from then on make people members who can vote.'),
            h('button', { type: 'button', class: 'pk-button pk-primary', disabled: !opts.canEdit, onclick: () => startRoster(ledger, identity, opts.myName, Date.now(), ORIGIN.local) }, 'Start the roster')]
          : []),
        ...problemList)
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
        ? 'Invite links you share (Share) admit new members. Removing a member voids their later votes and every invite link made before, on any device (share a new one for anyone still to join); change the draft’s key too if it is private.'
        : 'Only admins invite, change roles and remove members.'),
      ...(note ? [h('p', { class: 'pk-muted pk-small-text pk-root-note' }, note)] : []),
      ...problemList,
    )
  }
  const remove = async (id: string, name: string) => {
    if (await confirmDialog({ title: `Remove ${name}?`, message: `${name} is taken off the roster, on every member’s device: their ballots in open votes and their positions no longer count (closed votes stay as counted), and every invite link made until now stops admitting anyone, so old links cannot bring them back.`, confirm: 'Remove', danger: true })) {
      removeMember(ledger, identity, id, Date.now(), ORIGIN.local)
    }
  }
  // Changing who may invite, remove and close votes is asked, like removing.
  const setRole = async (id: string, name: string, role: 'admin' | 'member') => {
    const ok = await confirmDialog(role === 'admin'
      ? { title: `Make ${name} an admin?`, message: `${name} will be able to invite members, remove them, change roles and close any vote.`, confirm: 'Make admin' }
      : { title: `Make ${name} a member?`, message: `${name} will no longer invite, remove members or close votes they did not open.`, confirm: 'Make member', danger: true })
    if (ok) changeRole(ledger, identity, id, role, Date.now(), ORIGIN.local)
  }
  const onChange = () => render()
  membersRoot(doc).observe(onChange)
  questionsLog(doc).observe(onChange)
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
  dialog.addEventListener('close', () => { membersRoot(doc).unobserve(onChange); questionsLog(doc).unobserve(onChange); dialog.remove() })
  render()
  openModal(dialog, close)
}
