import * as Y from 'yjs'
import * as prng from 'lib0/prng'
import { EditorState, TextSelection, type Command } from 'prosemirror-state'
import { Slice, type Node as PMNode } from 'prosemirror-model'
import { joinBackward, setBlockType, splitBlock, toggleMark, lift } from 'prosemirror-commands'
import { wrapInList } from 'prosemirror-schema-list'
import { initProseMirrorDoc, updateYFragment, ySyncPluginKey } from 'y-prosemirror'
import { schema } from '../../renderer/src/editor/schema.ts'
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition } from 'y-prosemirror'
import {
  ORIGIN, POSITIONS, content, createDraftDoc, seedDraft, proposeAmendment, readAmendments, readThreads,
  recordDecision, recordPosition, reply, setResolved, settleInContent, startThread, tally, Ledger, identityFromSecret, type Identity,
} from '../../crdt/index.ts'
import { sha256 } from '@noble/hashes/sha2.js'

/** The fuzz draft has no roster (like a draft from before members): positions and decisions are signed, and all count. */
const FUZZ_DRAFT = 'fuzz-draft-without-roster'
/** A peer's member key, the same every run (signatures, and so record ids, are a function of the seed). */
const identityOf = (id: number): Identity => identityFromSecret(sha256(new TextEncoder().encode(`plank-fuzz-peer-${id}`)))
import { toProposal } from '../../renderer/src/review/propose.ts'
import { assertConverged } from './converged.ts'
import { Divergence, FuzzFailure, Trace } from './report.ts'

/**
 * Seeded convergence fuzzing. Peers edit through ProseMirror transactions written into
 * Yjs exactly as y-prosemirror's binding writes them (updateYFragment), and rebuild
 * their editor document from Yjs after remote changes, as the binding does. Between
 * them, a network that partitions, reorders, duplicates and drops messages; dropped
 * messages come back on reconnect through a state-vector resync, as with y-websocket.
 *
 * Review runs through the same network: comments anchored on random words, replies,
 * resolves, amendments proposed through propose mode, positions, and accept/reject
 * settled on the Yjs items as the app does.
 *
 * At the end every peer must hold the same Yjs state, the same ProseMirror document,
 * the same metadata, the same comment threads (anchored on the same words), the same
 * amendments and the same tallies. Everything is a function of the seed. A failure
 * names the seed, the command that reruns it, what differs and the last operations.
 */

type Meta = { mapping: Map<unknown, unknown>; isOMark: Map<unknown, unknown> }

export class Peer {
  readonly doc = createDraftDoc()
  readonly ledger: Ledger
  readonly identity: Identity
  pm: PMNode
  private meta: Meta
  readonly outbox: Uint8Array[] = []

  constructor(readonly id: number, seed: Uint8Array) {
    this.doc.clientID = id + 1
    this.identity = identityOf(id)
    this.ledger = new Ledger(this.doc, FUZZ_DRAFT)
    Y.applyUpdate(this.doc, seed)
    const init = initProseMirrorDoc(content(this.doc), schema) as unknown as { doc: PMNode; meta: Meta }
    this.pm = init.doc
    this.meta = init.meta
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') this.outbox.push(update)
    })
  }

  /**
   * After a remote change, rebuild the editor document as the binding's _typeChanged
   * does: replace the whole content with a Slice, which lets ProseMirror fill in what
   * the schema requires (an empty merge result becomes one empty paragraph).
   */
  receive(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, 'remote')
    this.refresh()
  }

  /** Rebuild the editor document from Yjs after changes from elsewhere (see receive). */
  refresh(): void {
    const init = initProseMirrorDoc(content(this.doc), schema) as unknown as { doc: PMNode; meta: Meta }
    const state = EditorState.create({ schema, doc: this.pm })
    this.pm = state.tr.replace(0, this.pm.content.size, new Slice(init.doc.content, 0, 0)).doc
    this.meta = init.meta
  }

  private get member() {
    return { id: this.identity.id, name: `Member ${this.id}`, color: '#0f6b63' }
  }

  private write(next: PMNode): void {
    this.doc.transact(() => updateYFragment(this.doc, content(this.doc), next, this.meta as never), ySyncPluginKey)
    this.pm = next
  }

  /** Re-read the editor document after a change made on the Yjs items (a settle). */
  private reload(): void {
    const init = initProseMirrorDoc(content(this.doc), schema) as unknown as { doc: PMNode; meta: Meta }
    this.pm = init.doc
    this.meta = init.meta
  }

  /** One review act: comment, reply, resolve, propose, take a position, or decide. */
  review(gen: prng.PRNG, step: number): string {
    const me = this.member
    const now = step
    const threads = readThreads(this.doc)
    const amendments = readAmendments(this.doc)
    switch (prng.int32(gen, 0, 6)) {
      case 0: {
        const positions = textPositions(this.pm)
        const from = prng.oneOf(gen, positions)
        const to = Math.min(this.pm.content.size, from + prng.int32(gen, 1, 10))
        const type = content(this.doc)
        const start = Y.encodeRelativePosition(absolutePositionToRelativePosition(from, type, this.meta.mapping as never))
        const end = Y.encodeRelativePosition(absolutePositionToRelativePosition(to, type, this.meta.mapping as never))
        startThread(this.doc, { id: `t${step}-${this.id}`, body: `comment ${step}`, author: me, now, anchor: { start, end }, quote: this.pm.textBetween(from, to, ' ') }, ORIGIN.local)
        return 'comment'
      }
      case 1: {
        if (threads.length === 0) return 'reply (none)'
        reply(this.doc, prng.oneOf(gen, threads).id, { id: `r${step}-${this.id}`, body: `reply ${step}`, author: me, now }, ORIGIN.local)
        return 'reply'
      }
      case 2: {
        if (threads.length === 0) return 'resolve (none)'
        const t = prng.oneOf(gen, threads)
        setResolved(this.doc, t.id, !t.resolved, me, now, ORIGIN.local)
        return 'resolve'
      }
      case 3: case 4: {
        const mine = amendments.find((a) => a.author.id === me.id && tally(this.ledger, a.id).status === 'open')
        const id = mine?.id ?? proposeAmendment(this.doc, { id: `a${step}-${this.id}`, title: `Amendment ${step}`, rationale: '', author: me, now }, ORIGIN.local).id
        const { command, selection } = randomEdit(gen, this.pm)
        const state = EditorState.create({ schema, doc: this.pm, selection: TextSelection.between(this.pm.resolve(selection[0]), this.pm.resolve(selection[1])) })
        let next: PMNode | null = null
        command(state, (tr) => {
          const proposal = toProposal(tr, state, { amendment: id, author: me.name, color: me.color })
          if ('tr' in proposal) next = state.apply(proposal.tr).doc
        })
        if (next === null || (next as PMNode).eq(this.pm)) return 'propose (refused or no-op)'
        this.write(next)
        return 'propose'
      }
      case 5: {
        if (amendments.length === 0) return 'position (none)'
        recordPosition(this.ledger, { question: prng.oneOf(gen, amendments).id, member: me, position: prng.oneOf(gen, [...POSITIONS]), reason: '', now, identity: this.identity }, ORIGIN.local)
        return 'position'
      }
      default: {
        const open = amendments.filter((a) => tally(this.ledger, a.id).status === 'open')
        if (open.length === 0) return 'decide (none)'
        const a = prng.oneOf(gen, open)
        const how = prng.oneOf(gen, ['accept', 'reject'] as const)
        settleInContent(this.doc, a.id, how, ORIGIN.local)
        recordDecision(this.ledger, { question: a.id, member: me, outcome: how === 'accept' ? 'accepted' : 'rejected', now, identity: this.identity }, ORIGIN.local)
        this.reload()
        return 'decide'
      }
    }
  }

  /**
   * Where each anchored comment sits on this peer, read as the app reads it (see
   * renderer/src/review/anchors.ts): a range, or "deleted" when its words are gone.
   * A peer that received deleted text only after a relay garbage-collected it holds
   * a GC record instead of the item, so the raw position of an anchor on deleted
   * words may be null on one peer and the next surviving position on another: both
   * mean "deleted".
   */
  anchors(): string {
    return JSON.stringify(readThreads(this.doc).filter((t) => t.anchor).map((t) => {
      const at = (rel: Uint8Array) => relativePositionToAbsolutePosition(this.doc, content(this.doc), Y.decodeRelativePosition(rel), this.meta.mapping as never)
      const [from, to] = [at(t.anchor!.start), at(t.anchor!.end)]
      return [t.id, from === null || to === null || to <= from ? 'deleted' : [from, to]]
    }))
  }

  /** Apply one editor command at a random selection; write the result as the binding would. */
  edit(gen: prng.PRNG): string {
    const { command, name, selection } = randomEdit(gen, this.pm)
    let state = EditorState.create({ schema, doc: this.pm, selection: TextSelection.between(this.pm.resolve(selection[0]), this.pm.resolve(selection[1])) })
    let applied = false
    command(state, (tr) => {
      state = state.apply(tr)
      applied = true
    })
    const what = `${name} ${selection[0] === selection[1] ? `at ${selection[0]}` : `${selection[0]}-${selection[1]}`}`
    if (!applied || state.doc.eq(this.pm)) return `${what} (no-op)`
    this.write(state.doc)
    return what
  }
}

/** Positions inside textblocks, where a caret can be. */
const textPositions = (doc: PMNode): number[] => {
  const positions: number[] = []
  doc.descendants((node, pos) => {
    if (node.isTextblock) for (let i = 0; i <= node.content.size; i++) positions.push(pos + 1 + i)
    return !node.isTextblock
  })
  return positions
}

const randomEdit = (gen: prng.PRNG, doc: PMNode): { name: string; command: Command; selection: [number, number] } => {
  const positions = textPositions(doc)
  const at = prng.oneOf(gen, positions)
  const to = Math.min(doc.content.size, at + prng.int32(gen, 0, 12))
  const kind = prng.int32(gen, 0, 9)
  const insert = (text: string): Command => (state, dispatch) => {
    dispatch?.(state.tr.insertText(text))
    return true
  }
  switch (kind) {
    case 0: case 1: case 2: {
      const text = prng.word(gen, 1, 8) + ' '
      return { name: `type ${JSON.stringify(text)}`, command: insert(text), selection: [at, at] }
    }
    case 3: return { name: 'delete', command: (state, dispatch) => { dispatch?.(state.tr.deleteSelection()); return true }, selection: [at, to] }
    case 4: return { name: 'split', command: splitBlock, selection: [at, at] }
    case 5: {
      const level = prng.oneOf(gen, [2, 3])
      return { name: `heading ${level}`, command: setBlockType(schema.nodes.heading!, { level }), selection: [at, at] }
    }
    case 6: return { name: 'paragraph', command: setBlockType(schema.nodes.paragraph!), selection: [at, at] }
    case 7: return { name: 'bold', command: toggleMark(prng.oneOf(gen, [schema.marks.strong!, schema.marks.em!])), selection: [at, to] }
    case 8: return { name: 'list', command: prng.bool(gen) ? wrapInList(schema.nodes.bullet_list!) : lift, selection: [at, at] }
    default: return { name: 'join', command: joinBackward, selection: [at, at] }
  }
}

export interface FuzzResult { seed: number; steps: number; edits: number; reviewActs: number; delivered: number; dropped: number; duplicated: number; partitions: number }

export const DEFAULT_STEPS = 150

/** The command that replays one seed exactly (convergence.test.ts reads these variables). */
export const rerunCommand = (seed: number, steps: number): string =>
  `PLANK_FUZZ_SEED=${seed}${steps === DEFAULT_STEPS ? '' : ` PLANK_FUZZ_STEPS=${steps}`} npx vitest run test/fuzz/convergence.test.ts`

export const runConvergence = (seed: number, steps = DEFAULT_STEPS, peers = 5): FuzzResult => {
  const gen = prng.create(seed)
  const origin = createDraftDoc()
  seedDraft(origin, { title: 'Fuzzed platform', planks: ['Housing', 'Work'], now: 0 })
  const start = Y.encodeStateAsUpdate(origin)
  const all = Array.from({ length: peers }, (_, i) => new Peer(i, start))
  // inbox[to] = messages in flight to that peer (any order may be delivered).
  const inbox: Uint8Array[][] = all.map(() => [])
  const cut = new Set<number>()
  const stats = { seed, steps, edits: 0, reviewActs: 0, delivered: 0, dropped: 0, duplicated: 0, partitions: 0 }
  const trace = new Trace()
  let current = 'setting up'

  const flushOutboxes = () => {
    for (const p of all) {
      for (const update of p.outbox.splice(0)) for (const q of all) if (q !== p) inbox[q.id]!.push(update)
    }
  }
  const resync = (a: Peer, b: Peer) => {
    b.receive(Y.encodeStateAsUpdate(a.doc, Y.encodeStateVector(b.doc)))
    a.receive(Y.encodeStateAsUpdate(b.doc, Y.encodeStateVector(a.doc)))
  }

  try {
    for (let step = 0; step < steps; step++) {
      const r = prng.int32(gen, 0, 99)
      const peer = all[prng.int32(gen, 0, peers - 1)]!
      current = `step ${step}, peer ${peer.id}`
      const did = (what: string) => trace.add(`${current}: ${what}`)
      if (r < 33) {
        did(`edit: ${peer.edit(gen)}`)
        stats.edits++
      } else if (r < 45) {
        did(`review: ${peer.review(gen, step)}`)
        stats.reviewActs++
      } else if (r < 80) {
        const box = inbox[peer.id]!
        if (box.length > 0 && !cut.has(peer.id)) {
          const i = prng.int32(gen, 0, box.length - 1) // any order: reordering
          const [update] = r < 75 ? box.splice(i, 1) : [box[i]!] // sometimes delivered twice
          if (r >= 75) stats.duplicated++
          did(`receives message ${i} of ${box.length + (r < 75 ? 1 : 0)} in flight${r >= 75 ? ' (and will again: a duplicate)' : ''}`)
          peer.receive(update!)
          stats.delivered++
        } else did(`receives nothing (${cut.has(peer.id) ? 'cut off' : 'no message in flight'})`)
      } else if (r < 85) {
        const box = inbox[peer.id]!
        if (box.length > 0) {
          const i = prng.int32(gen, 0, box.length - 1)
          box.splice(i, 1)
          stats.dropped++
          did(`loses message ${i} of ${box.length + 1} in flight`)
        } else did('loses nothing (no message in flight)')
      } else if (r < 92) {
        if (cut.has(peer.id)) {
          cut.delete(peer.id)
          did('reconnects')
        } else {
          cut.add(peer.id)
          stats.partitions++
          did('is cut off')
        }
      } else {
        const other = all[prng.int32(gen, 0, peers - 1)]!
        if (other !== peer && !cut.has(peer.id) && !cut.has(other.id)) {
          did(`resyncs with peer ${other.id}`)
          resync(peer, other)
        } else did(`does not resync with peer ${other.id}${other === peer ? ' (itself)' : ' (cut off)'}`)
      }
      flushOutboxes()
    }

    // Heal: everyone reconnects and resyncs (what y-websocket does on reconnect).
    current = 'heal'
    trace.add('heal: every peer reconnects, resyncs with every other and receives all messages in flight')
    cut.clear()
    for (let round = 0; round < 2; round++) {
      for (const a of all) for (const b of all) if (a !== b) resync(a, b)
      flushOutboxes()
    }
    for (const p of all) for (const update of inbox[p.id]!.splice(0)) p.receive(update)
    flushOutboxes()
    for (const a of all) for (const b of all) if (a !== b) resync(a, b)

    assertConverged(all, `seed ${seed}`)
  } catch (err) {
    if (!(err instanceof Divergence)) trace.add(`${current}: threw (the error above)`)
    throw new FuzzFailure(seed, rerunCommand(seed, steps), trace, err)
  }
  return stats
}
