import { describe, expect, it } from 'vitest'
import { members } from './draft.ts'
import { newIdentity } from './identity.ts'
import { makeRecord, DOMAIN } from './signed-record.ts'
import { acceptInvitation, changeRole, draftIdOf, invitationKeyOf, inviteMembers, isRootedDraftId, removeMember, renameMember, revokeInvitation } from './roster.ts'
import { L, committee, device, names, newDraft, sync } from './devices.testing.ts'

describe('the member roster', () => {
  it('a new draft’s id is derived from its founding entry', () => {
    const ana = newIdentity()
    const { draftId, devices: [a] } = newDraft(ana, 'Ana')
    expect(isRootedDraftId(draftId)).toBe(true)
    expect(a!.ledger.root()).toMatchObject({ kind: 'rooted' })
    expect(draftIdOf((a!.ledger.root() as { id: string }).id)).toBe(draftId)
    expect(names(a!)).toEqual(['Ana:admin'])
  })

  it('admits invitees when they accept, with no admin online, and changes roles and names', () => {
    const { people: [ana, ben, cleo], devices: [a, b] } = committee(['Ana', 'Ben', 'Cleo'], 1)
    changeRole(b!.ledger, ana!, ben!.id, 'admin', 5, L)
    renameMember(b!.ledger, cleo!, 'Cleo R.', 6, L)
    sync(a!, b!)
    for (const d of [a!, b!]) expect(names(d)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo R.:member'])
    expect(a!.ledger.roster().flagged).toEqual([])
  })

  it('ignores and flags forged, uninvited and unauthorized entries', () => {
    const { draftId, people: [ana, , cleo], devices: [a] } = committee(['Ana', 'Ben', 'Cleo'], 0)
    const dev = newIdentity()
    // A role change in Cleo's name, signed with Dev's key.
    const { record } = makeRecord(dev, { dom: DOMAIN.roster, draft: draftId, prev: a!.ledger.heads() }, { t: 'role', subject: cleo!.id, role: 'admin', at: 7 })
    members(a!.doc).push([{ ...record, by: cleo!.id }])
    // A made-up invitation secret proves nothing; a member cannot remove others.
    acceptInvitation(a!.ledger, dev, { secret: 'A'.repeat(43), name: 'Dev', now: 8 }, L)
    removeMember(a!.ledger, cleo!, ana!.id, 9, L)
    members(a!.doc).push([{ junk: true }])
    expect(names(a!)).toEqual(['Ana:admin', 'Ben:member', 'Cleo:member'])
    expect(a!.ledger.problems().map((p) => p.why).sort()).toEqual([
      'its signature does not verify', 'malformed record', 'no such invitation', 'only an admin can remove members',
    ])
  })

  it('an invitation admits at most as many members as it says', () => {
    const [ana, ben, cleo] = [newIdentity(), newIdentity(), newIdentity()]
    const { devices: [a] } = newDraft(ana, 'Ana')
    const secret = inviteMembers(a!.ledger, ana, { role: 'member', max: 1, now: 2 }, L)
    acceptInvitation(a!.ledger, ben, { secret, name: 'Ben', now: 3 }, L)
    acceptInvitation(a!.ledger, cleo, { secret, name: 'Cleo', now: 4 }, L)
    expect(names(a!)).toEqual(['Ana:admin', 'Ben:member'])
  })

  it('resolves concurrent changes the same way on every device', () => {
    const { people: [ana, ben, cleo], devices: [, a, b] } = committee(['Ana', 'Ben', 'Cleo'])
    changeRole(a!.ledger, ana!, ben!.id, 'admin', 5, L)
    sync(a!, b!)
    // Offline: Ana removes Ben; Ben, concurrently, removes Cleo and invites Dev.
    const dev = newIdentity()
    removeMember(a!.ledger, ana!, ben!.id, 10, L)
    removeMember(b!.ledger, ben!, cleo!.id, 10, L)
    const secret = inviteMembers(b!.ledger, ben!, { role: 'member', max: 1, now: 11 }, L)
    acceptInvitation(b!.ledger, dev, { secret, name: 'Dev', now: 12 }, L)
    sync(a!, b!)
    // Ben's concurrent acts do not count: Cleo stays, Dev's invitation is void.
    expect(names(a!)).toEqual(['Ana:admin', 'Cleo:member'])
    expect(names(b!)).toEqual(names(a!))
    // A device reading the same records in another order agrees.
    const c = device(a!.ledger.draftId)
    members(c.doc).push([...members(a!.doc).toArray()].reverse())
    expect(names(c)).toEqual(names(a!))
  })

  it('settles mutual removals by seniority', () => {
    const { people: [ana, ben, cleo], devices: [, a, b] } = committee(['Ana', 'Ben', 'Cleo'])
    changeRole(a!.ledger, ana!, ben!.id, 'admin', 5, L)
    changeRole(a!.ledger, ana!, cleo!.id, 'admin', 6, L)
    sync(a!, b!)
    removeMember(a!.ledger, ben!, cleo!.id, 10, L)
    removeMember(b!.ledger, cleo!, ben!.id, 10, L)
    sync(a!, b!)
    expect(names(a!)).toEqual(['Ana:admin', 'Ben:admin'])
    expect(names(b!)).toEqual(names(a!))
  })

  it('a member removed by one admin is not re-admitted concurrently by another', () => {
    const { people: [ana, , cleo], secret, devices: [, a, b] } = committee(['Ana', 'Ben', 'Cleo'])
    removeMember(a!.ledger, ana!, cleo!.id, 10, L)
    acceptInvitation(b!.ledger, cleo!, { secret, name: 'Cleo again', now: 10 }, L)
    sync(a!, b!)
    expect(names(a!)).toEqual(['Ana:admin', 'Ben:member'])
  })
})

describe('revoking an invitation', () => {
  it('admits nobody new with the old link, including someone joining concurrently with the revocation', () => {
    const { people: [ana, , cleo], secret, devices: [, a, b] } = committee(['Ana', 'Ben', 'Cleo'])
    const dev = newIdentity()
    revokeInvitation(a!.ledger, ana!, secret, 20, L)
    acceptInvitation(b!.ledger, dev, { secret, name: 'Dev', now: 20 }, L) // offline, at the same time
    sync(a!, b!)
    for (const d of [a!, b!]) expect(names(d)).toEqual(['Ana:admin', 'Ben:member', 'Cleo:member'])
    acceptInvitation(a!.ledger, newIdentity(), { secret, name: 'Late', now: 30 }, L)
    expect(names(a!)).toEqual(['Ana:admin', 'Ben:member', 'Cleo:member'])
    expect(a!.ledger.roster().flagged.map((f) => f.why)).toContain('the invitation was revoked')
    revokeInvitation(a!.ledger, cleo!, secret, 31, L)
    expect(a!.ledger.roster().flagged.map((f) => f.why)).toContain('only an admin can revoke an invitation')
  })

  it('removing a member voids every invitation made before, from any admin; only a later invitation readmits them', () => {
    const { people: [ana, ben, cleo], secret, devices: [, a, b] } = committee(['Ana', 'Ben', 'Cleo'])
    changeRole(a!.ledger, ana!, ben!.id, 'admin', 5, L)
    sync(a!, b!)
    const bens = inviteMembers(b!.ledger, ben!, { role: 'member', max: 10, now: 6 }, L)
    sync(a!, b!)
    removeMember(a!.ledger, ana!, cleo!.id, 10, L)
    sync(a!, b!)
    // Cleo tries both old links, and a new key with one of them.
    acceptInvitation(b!.ledger, cleo!, { secret, name: 'Cleo', now: 11 }, L)
    acceptInvitation(b!.ledger, cleo!, { secret: bens, name: 'Cleo', now: 12 }, L)
    acceptInvitation(b!.ledger, newIdentity(), { secret: bens, name: 'Cleo 2', now: 13 }, L)
    sync(a!, b!)
    for (const d of [a!, b!]) expect(names(d)).toEqual(['Ana:admin', 'Ben:admin'])
    expect(a!.ledger.roster().flagged.filter((f) => f.alarm).map((f) => f.why)).toEqual(['the invitation was voided when Cleo was removed', 'the invitation was voided when Cleo was removed'])
    for (const s of [secret, bens]) expect(a!.ledger.roster().invitationOpen(invitationKeyOf(s)!)).toBe(false)
    // An invitation made after the removal readmits her: a deliberate act.
    const fresh = inviteMembers(a!.ledger, ana!, { role: 'member', max: 1, now: 20 }, L)
    expect(a!.ledger.roster().invitationOpen(invitationKeyOf(fresh)!)).toBe(true)
    acceptInvitation(a!.ledger, cleo!, { secret: fresh, name: 'Cleo', now: 21 }, L)
    expect(names(a!)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member'])
  })
})
