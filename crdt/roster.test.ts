import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { createDraftDoc, members } from './draft.ts'
import { ORIGIN } from './origins.ts'
import { newIdentity, signRecord } from './identity.ts'
import { acceptInvitation, changeRole, foundRoster, inviteMembers, readRoster, removeMember, renameMember, revokeInvitation, rosterFrom } from './roster.ts'
import { sync } from './testing.ts'

const L = ORIGIN.local
const [ana, ben, cleo, dev] = [newIdentity(), newIdentity(), newIdentity(), newIdentity()]
const names = (doc: Y.Doc) => readRoster(doc).members.map((m) => `${m.name}:${m.role}`)

/** Ana founds; Ben and Cleo join with one invitation; Ben is made admin. */
const committee = () => {
  const doc = createDraftDoc()
  foundRoster(doc, ana, 'Ana', 1, L)
  const secret = inviteMembers(doc, ana, { role: 'member', max: 10, now: 2 }, L)
  acceptInvitation(doc, ben, { secret, name: 'Ben', now: 3 }, L)
  acceptInvitation(doc, cleo, { secret, name: 'Cleo', now: 4 }, L)
  changeRole(doc, ana, ben.id, 'admin', 5, L)
  return { doc, secret }
}

describe('the member roster', () => {
  it('admits invitees when they accept, with no admin online, and changes roles and names', () => {
    const { doc } = committee()
    renameMember(doc, cleo, 'Cleo R.', 6, L)
    expect(names(doc)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo R.:member'])
    expect(readRoster(doc).flagged).toEqual([])
  })

  it('ignores and flags forged, uninvited and unauthorized entries', () => {
    const { doc } = committee()
    const forged = { ...signRecord(dev, { v: 1, t: 'role', by: cleo.id, subject: cleo.id, role: 'admin', at: 7, prev: [], sig: '' }) }
    members(doc).push([forged])
    // A made-up invitation secret proves nothing.
    acceptInvitation(doc, dev, { secret: 'A'.repeat(43), name: 'Dev', now: 8 }, L)
    // A member cannot remove others.
    removeMember(doc, cleo, ben.id, 9, L)
    members(doc).push([{ junk: true }])
    expect(names(doc)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member'])
    expect(readRoster(doc).flagged.map((f) => f.why).sort()).toEqual([
      'malformed entry', 'no such invitation', 'only an admin can remove members', 'signature does not verify',
    ])
  })

  it('an invitation admits at most as many members as it says', () => {
    const doc = createDraftDoc()
    foundRoster(doc, ana, 'Ana', 1, L)
    const secret = inviteMembers(doc, ana, { role: 'member', max: 1, now: 2 }, L)
    acceptInvitation(doc, ben, { secret, name: 'Ben', now: 3 }, L)
    acceptInvitation(doc, cleo, { secret, name: 'Cleo', now: 4 }, L)
    expect(names(doc)).toEqual(['Ana:admin', 'Ben:member'])
  })

  it('resolves concurrent changes the same way on every peer', () => {
    const { doc } = committee()
    const [a, b] = [createDraftDoc(), createDraftDoc()]
    sync(doc, a); sync(doc, b)
    // Offline: Ana removes Ben; Ben, concurrently, removes Cleo and invites Dev.
    removeMember(a, ana, ben.id, 10, L)
    removeMember(b, ben, cleo.id, 10, L)
    const secret = inviteMembers(b, ben, { role: 'member', max: 1, now: 11 }, L)
    acceptInvitation(b, dev, { secret, name: 'Dev', now: 12 }, L)
    sync(a, b)
    // Ben's concurrent acts do not count: Cleo stays, Dev's invitation is void.
    expect(names(a)).toEqual(['Ana:admin', 'Cleo:member'])
    expect(names(b)).toEqual(names(a))
    expect(rosterFrom([...members(a).toArray()].reverse()).members).toEqual(readRoster(a).members)
  })

  it('settles mutual removals by seniority', () => {
    const { doc } = committee()
    changeRole(doc, ana, cleo.id, 'admin', 6, L)
    const [a, b] = [createDraftDoc(), createDraftDoc()]
    sync(doc, a); sync(doc, b)
    removeMember(a, ben, cleo.id, 10, L)
    removeMember(b, cleo, ben.id, 10, L)
    sync(a, b)
    expect(names(a)).toEqual(['Ana:admin', 'Ben:admin'])
    expect(names(b)).toEqual(names(a))
  })

  it('a member removed by one admin is not re-admitted concurrently by another', () => {
    const { doc, secret } = committee()
    const [a, b] = [createDraftDoc(), createDraftDoc()]
    sync(doc, a); sync(doc, b)
    removeMember(a, ana, cleo.id, 10, L)
    acceptInvitation(b, cleo, { secret, name: 'Cleo again', now: 10 }, L)
    sync(a, b)
    expect(names(a)).toEqual(['Ana:admin', 'Ben:admin'])
  })
})

describe('revoking an invitation', () => {
  it('admits nobody new with the old link, including someone joining concurrently with the revocation', () => {
    const { doc, secret } = committee()
    const [a, b] = [createDraftDoc(), createDraftDoc()]
    sync(doc, a); sync(doc, b)
    revokeInvitation(a, ana, secret, 20, L)
    acceptInvitation(b, dev, { secret, name: 'Dev', now: 20 }, L) // offline, at the same time
    sync(a, b)
    for (const d of [a, b]) expect(names(d)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member'])
    const later = newIdentity()
    acceptInvitation(a, later, { secret, name: 'Late', now: 30 }, L)
    expect(names(a)).toEqual(['Ana:admin', 'Ben:admin', 'Cleo:member'])
    expect(readRoster(a).flagged.map((f) => f.why)).toContain('the invitation was revoked')
    expect(() => revokeInvitation(a, cleo, secret, 31, L)).not.toThrow()
    expect(readRoster(a).flagged.map((f) => f.why)).toContain('only an admin can revoke an invitation')
  })
})
