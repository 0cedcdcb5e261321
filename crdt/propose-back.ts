import * as Y from 'yjs'
import { BLOCK_ATTR, MARK, NODE, PLANK_LEVEL, TEXTBLOCK_MARKS } from './format.ts'
import { content, createDraftDoc, meta } from './draft.ts'
import { META } from './format.ts'
import type { Author } from './author.ts'
import { type Amendment, proposeAmendment, readAmendments } from './amendments.ts'
import { REVIEW_MARKS, TEXTBLOCKS, amendmentOf, markName, openAmendments, textOps } from './content-items.ts'
import { type ReviewTag, formatMarkAttribute, reviewMarkAttribute } from './review-marks.ts'
import { type FormatChange, FORMAT_MARKS, changeableInto, decodeBlockChange, decodeFormatChange, encodeBlockChange, encodeFormatChange, formAttrs, hasForm } from './format-changes.ts'
import { type ItemId, type MovedPositions, movedPositions } from './moves.ts'
import { type ProposalRound, type Segment, proposedSoFar, readRounds, recordRound, setSource } from './propose-back-log.ts'
import { compositedSources } from './composite.ts'
import { recordDecision, tally } from './decisions.ts'
import type { Identity } from './identity.ts'
import type { Ledger } from './ledger.ts'
import { settleInContent } from './settle.ts'
import { newId } from './ids.ts'
import { ORIGIN } from './origins.ts'
import { readForkPoint } from './fork.ts'

/**
 * Proposing a chapter draft's changes back to its parent, as amendments, one per
 * changed plank — and each time only what changed since the chapter last proposed.
 *
 * Both drafts share every item up to the fork point, so the chapter's changes are
 * exact, not guessed by a text diff. The parent is copied and the chapter's updates
 * since the fork merged into the copy, which then holds every item of both in Yjs's
 * own order. Each item is read in four views: the parent now (P), what the chapter
 * had proposed so far (B: the fork point, or the merge of its earlier rounds'
 * snapshots), the chapter now (N), and the merge (M). The chapter's changes are what
 * differs between B and N; they are written into the parent as proposals (inserted
 * words marked `insertion`, deleted ones `deletion`, formatting as `format` marks, new
 * and removed paragraphs as proposed breaks, a heading's level or a list's start as a
 * proposed form), beside the parent's counterparts: the same items for what the
 * parent already had, the copies an earlier round made for what the chapter wrote.
 *
 * A plank's changes go into the amendment the chapter's earlier round opened for it
 * while that is still open (words it proposed and now removes are simply taken out
 * again); otherwise a new amendment. Decided changes are never proposed again: they
 * are in B. The round is recorded in the chapter (propose-back-log.ts).
 */
type Id = ItemId
const key = (id: Id): string => `${id[0]}:${id[1]}`
const knows = (snap: Y.Snapshot, client: number, clock: number): boolean => (snap.sv.get(client) ?? 0) > clock
const shows = (snap: Y.Snapshot, client: number, clock: number): boolean => knows(snap, client, clock) && !Y.isDeleted(snap.ds, Y.createID(client, clock))

/**
 * P: the parent now; B: what the chapter had proposed; N: the chapter now; M: the
 * merge of the chapter with the parent as it was when the chapter first proposed. (What
 * the parent wrote since is mostly the chapter's own words and formatting again —
 * earlier rounds' copies, accepted — and where Yjs put those among the chapter's
 * originals says nothing about how the chapter's new words should look.)
 */
interface Views { P: Y.Snapshot; B: Y.Snapshot; N: Y.Snapshot; M: Y.Snapshot }

export interface ProposeBackResult {
  /** Amendments this round opened. */
  amendments: Amendment[]
  /** Open amendments of earlier rounds this round wrote into. */
  updated: Amendment[]
  /** Duplicates of concurrent rounds, withdrawn. */
  withdrawn: string[]
  /** Characters the chapter wrote where the parent has since deleted the text: they cannot be placed. */
  unplaced: number
}

/** Chapter items and the parent items that stand for them. */
class Correspondence {
  private readonly chars = new Map<string, Id>()
  private readonly types = new Map<string, Id>()
  /** Parent items that are copies of the chapter's: in the merge they sit wherever Yjs put them, so the chapter's own items place things. */
  private readonly standIns = new Set<string>()
  readonly newChars: Array<[Id, Id]> = []
  readonly newTypes: Array<[number, number, number, number]> = []

  constructor(rounds: ProposalRound[]) {
    // Oldest round first: where two rounds (from two devices) copied the same words, the first one's copy stands.
    for (const r of rounds) {
      for (const [cc, ck, pc, pk, n] of r.chars) {
        for (let i = 0; i < n; i++) {
          if (!this.chars.has(key([cc, ck + i]))) this.chars.set(key([cc, ck + i]), [pc, pk + i])
          this.standIns.add(key([pc, pk + i]))
        }
      }
      for (const [cc, ck, pc, pk] of r.types) {
        if (!this.types.has(key([cc, ck]))) this.types.set(key([cc, ck]), [pc, pk])
        this.standIns.add(key([pc, pk]))
      }
    }
  }

  char(id: Id): Id | undefined { return this.chars.get(key(id)) }
  type(id: Id): Id | undefined { return this.types.get(key(id)) }
  standsIn(id: Id): boolean { return this.standIns.has(key(id)) }
  addChar(chapter: Id, parent: Id): void { this.chars.set(key(chapter), parent); this.newChars.push([chapter, parent]) }
  addType(chapter: Id, parent: Id): void { this.types.set(key(chapter), parent); this.newTypes.push([chapter[0], chapter[1], parent[0], parent[1]]) }

  segments(): Segment[] {
    const segs: Segment[] = []
    for (const [c, p] of this.newChars) {
      const last = segs[segs.length - 1]
      if (last && last[0] === c[0] && last[1] + last[4] === c[1] && last[2] === p[0] && last[3] + last[4] === p[1]) last[4]++
      else segs.push([c[0], c[1], p[0], p[1], 1])
    }
    return segs
  }
}

/** `identity` signs the withdrawal of a repeat (two devices proposed at once): the proposing member's. */
interface Params { author: Author; now: number; chapter: string; forkTitle: string; chapterId?: string; identity: Identity }

/** Per plank, the amendment that carries its changes: an open one of an earlier round, or a new one. */
class Sections {
  key = 'opening'
  label = 'Opening'
  readonly created: Amendment[] = []
  readonly updated: Amendment[] = []
  readonly withdrawn: string[] = []
  /** This chapter's amendments that are still open: words they proposed are the chapter's to take back. */
  readonly own = new Set<string>()
  private readonly made = new Map<string, ReviewTag>()
  private readonly open = new Map<string, string>()

  private readonly parent: Y.Doc

  constructor(ledger: Ledger, private readonly p: Params, rounds: ProposalRound[]) {
    const parent = this.parent = ledger.doc
    const composited = compositedSources(ledger)
    const exists = new Set(readAmendments(parent).map((a) => a.id))
    const isOpen = (id: string) => exists.has(id) && !composited.has(id) && tally(ledger, id).status === 'open'
    const byKey = new Map<string, string[]>()
    for (const r of rounds) for (const [k, id] of Object.entries(r.amendments)) if (!byKey.get(k)?.includes(id)) byKey.set(k, [...(byKey.get(k) ?? []), id])
    for (const [k, ids] of byKey) {
      const live = ids.filter(isOpen)
      if (live[0]) this.open.set(k, live[0])
      for (const id of live) this.own.add(id)
      // Two devices proposed the same plank at once: keep the first, withdraw the repeat.
      for (const dup of live.slice(1)) {
        settleInContent(parent, dup, 'reject', ORIGIN.local)
        recordDecision(ledger, { question: dup, member: p.author, outcome: 'withdrawn', now: p.now, identity: p.identity }, ORIGIN.local)
        this.withdrawn.push(dup)
        this.own.delete(dup)
      }
    }
  }

  enter(key: string, label: string): void {
    this.key = key
    this.label = label || 'Untitled section'
  }

  tag(): ReviewTag {
    let tag = this.made.get(this.key)
    if (tag) return tag
    const reuse = this.open.get(this.key)
    const found = reuse ? readAmendments(this.parent).find((a) => a.id === reuse) : undefined
    let amendment: Amendment
    if (found) {
      amendment = found
      this.updated.push(found)
    } else {
      amendment = proposeAmendment(this.parent, {
        title: `${this.p.chapter}: ${this.label}`,
        rationale: `Proposed back from the chapter draft “${this.p.forkTitle}”.`,
        author: this.p.author, now: this.p.now,
      }, ORIGIN.local)
      setSource(this.parent, amendment.id, { chapter: this.p.chapter, draft: this.p.chapterId ?? '', plank: this.key })
      this.created.push(amendment)
      this.own.add(amendment.id)
    }
    tag = { amendment: amendment.id, author: this.p.author.name, color: this.p.author.color }
    this.made.set(this.key, tag)
    return tag
  }

  /** Plank key → amendment, for the round's record. */
  record(): Record<string, string> {
    return Object.fromEntries([...this.made].map(([k, t]) => [k, t.amendment]))
  }
}

/** Formatting attributes of a run: no review marks, no change tracking. */
const formatting = (attrs: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(attrs)) if (k !== 'ychange' && !REVIEW_MARKS.has(markName(k))) out[k] = v
  return out
}
const allowedFor = (text: Y.XmlText): readonly string[] | undefined => TEXTBLOCK_MARKS[(text.parent as Y.XmlElement | null)?.nodeName ?? '']
const onlyAllowed = (attrs: Record<string, unknown>, allowed: readonly string[] | undefined): Record<string, unknown> =>
  allowed ? Object.fromEntries(Object.entries(attrs).filter(([k]) => allowed.includes(markName(k)))) : attrs
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null)

const itemAt = (doc: Y.Doc, id: Id): Y.Item | null => {
  if (Y.getState(doc.store, id[0]) <= id[1]) return null
  const item = Y.getItem(doc.store, Y.createID(id[0], id[1]))
  return item instanceof Y.Item ? item : null
}
const typeAt = (doc: Y.Doc, id: Id): Y.AbstractType<unknown> | null => {
  const item = itemAt(doc, id)
  return item && !item.deleted && item.content instanceof Y.ContentType ? item.content.type as Y.AbstractType<unknown> : null
}
const idOf = (type: { _item: Y.Item | null }): Id => [type._item!.id.client, type._item!.id.clock]
const plainText = (el: Y.XmlElement): string => el.toArray().map((c) => (c instanceof Y.XmlText ? c.toString().replace(/<[^>]*>/g, '') : '')).join('')

/** Visible string characters of a text, in order. */
const charsOf = (text: Y.XmlText): Id[] => {
  const out: Id[] = []
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue
    for (let o = 0; o < item.length; o++) out.push([item.id.client, item.id.clock + o])
  }
  return out
}

/** The attributes of the run holding `index` in a text. */
const attrsAt = (text: Y.XmlText, index: number): Record<string, unknown> => {
  let at = 0
  for (const op of textOps(text)) {
    const n = typeof op.insert === 'string' ? op.insert.length : 1
    if (index < at + n) return op.attributes ?? {}
    at += n
  }
  return {}
}

/** A block's structure and text as a snapshot shows it (to recognise a block the chapter only rebuilt with a new type). */
const signature = (el: Y.XmlElement | Y.XmlText, snap: Y.Snapshot, top: boolean): unknown => {
  if (el instanceof Y.XmlText) return (el.toDelta(snap) as Array<{ insert: unknown; attributes?: Record<string, unknown> }>).map((op) => [op.insert, formatting(op.attributes ?? {})])
  const children = (Y.typeListToArraySnapshot(el, snap) as Array<Y.XmlElement | Y.XmlText>).map((c) => signature(c, snap, false))
  return top ? children : [el.nodeName, formAttrs(el.nodeName, el.getAttributes(snap)), children]
}

class Walk {
  unplaced = 0
  private readonly moved: MovedPositions

  constructor(
    private readonly parent: Y.Doc,
    private readonly views: Views,
    private readonly corr: Correspondence,
    private readonly sections: Sections,
  ) {
    this.moved = movedPositions(parent)
  }

  /** The live parent item standing for a chapter item (itself, or a copy), following the parent's own moves. */
  private liveChar(id: Id, inParent: boolean): Id | null {
    const cp = inParent ? id : this.corr.char(id)
    if (!cp) return null
    const live = this.moved.char(cp)
    return live && !(itemAt(this.parent, live)?.deleted ?? true) ? live : null
  }

  /** Walk a container of the merged draft beside its parent counterpart. */
  container(node: Y.XmlFragment | Y.XmlElement, counterpart: Y.XmlFragment | Y.XmlElement | null, top: boolean): void {
    const { P, B, N } = this.views
    const children: Y.Item[] = []
    for (let item = node._start; item !== null; item = item.right) if (item.content instanceof Y.ContentType) children.push(item)
    let anchor: Id | null = null
    const consumed = new Set<Y.Item>()
    for (let i = 0; i < children.length; i++) {
      const item = children[i]!
      if (consumed.has(item)) continue
      const type = (item.content as Y.ContentType).type as Y.XmlElement | Y.XmlText
      const { client, clock } = item.id
      const id: Id = [client, clock]
      const inP = knows(P, client, clock)
      const [vP, vB, vN] = [shows(P, client, clock), shows(B, client, clock), shows(N, client, clock)]
      if (inP && this.corr.standsIn(id)) continue
      const cp = inP ? id : this.corr.type(id) ?? null
      const live = cp ? typeAt(this.parent, cp) : null
      if (top && type instanceof Y.XmlElement) {
        // The title is the chapter's own, never proposed back.
        if (type.nodeName === NODE.title) { if (live) anchor = cp; continue }
        // Planks as the chapter has them now (the parent's, for planks only the parent has).
        const level = Number((vN ? type.getAttributes(N) : type.getAttributes(P)).level)
        if (type.nodeName === NODE.heading && level === PLANK_LEVEL && (vP || vN)) this.sections.enter(key(id), plainText(type))
      }
      if (type instanceof Y.XmlText) {
        if (vB && vN && cp) this.text(type, cp)
        else if (vN && !vB) this.unplaced += type.length
        if (live) anchor = cp
        continue
      }
      if (vB && vN) {
        if (live instanceof Y.XmlElement) this.form(type, live)
        this.container(type, live instanceof Y.XmlElement ? live : null, false)
        if (live) anchor = cp
      } else if (!vB && vN && !inP) {
        // A block rebuilt with a new type just before the old one (as the editor writes it)?
        const old = this.partner(type, children, i, 'removed')
        const oldId: Id | null = old ? idOf(old) : null
        const oldCp = oldId ? (knows(P, ...oldId) ? oldId : this.corr.type(oldId) ?? null) : null
        const oldLive = oldCp ? typeAt(this.parent, oldCp) : null
        if (old && oldLive instanceof Y.XmlElement) {
          consumed.add(old._item!)
          this.proposeForm(oldLive, type.nodeName, type.getAttributes(N))
          this.mapRebuilt(type, oldLive)
          anchor = oldCp
        } else {
          const made = this.insertCopy(type, counterpart, anchor)
          if (made) anchor = made
        }
      } else if (vB && !vN) {
        const rebuilt = this.partner(type, children, i, 'added')
        if (rebuilt && live instanceof Y.XmlElement) {
          consumed.add(rebuilt._item!)
          this.proposeForm(live, rebuilt.nodeName, rebuilt.getAttributes(N))
          this.mapRebuilt(rebuilt, live)
        } else if (live instanceof Y.XmlElement) {
          this.removeElement(live)
        }
        if (live) anchor = cp
      } else if (vP && live) {
        anchor = cp
      }
    }
  }

  /**
   * The block that pairs with this one as the same block rebuilt with a new type (the
   * editor cannot rename a Yjs element, so it writes a new one beside the removed one):
   * the next block the chapter changed, if it was `want` (removed or added), may take
   * this one's type, and reads exactly the same.
   */
  private partner(el: Y.XmlElement, children: Y.Item[], i: number, want: 'removed' | 'added'): Y.XmlElement | null {
    const { B, N } = this.views
    for (let j = i + 1; j < children.length; j++) {
      const { client, clock } = children[j]!.id
      const vB = shows(B, client, clock)
      const vN = shows(N, client, clock)
      if (!vB && !vN) continue
      const next = (children[j]!.content as Y.ContentType).type
      if (!(next instanceof Y.XmlElement) || vB === vN || (want === 'removed') !== vB || !changeableInto(el.nodeName, next.nodeName)) return null
      const [removed, added] = want === 'removed' ? [next, el] : [el, next]
      return JSON.stringify(signature(removed, B, true)) === JSON.stringify(signature(added, N, true)) ? next : null
    }
    return null
  }

  /** The rebuilt block's items stand for the parent block's, position by position. */
  private mapRebuilt(rebuilt: Y.XmlElement | Y.XmlText, target: Y.XmlElement | Y.XmlText): void {
    this.corr.addType(idOf(rebuilt), idOf(target))
    if (rebuilt instanceof Y.XmlText && target instanceof Y.XmlText) {
      const from = charsIn(rebuilt, this.views.N)
      const to = charsOf(target)
      if (from.length === to.length) from.forEach((c, k) => this.corr.addChar(c, to[k]!))
      return
    }
    if (!(rebuilt instanceof Y.XmlElement) || !(target instanceof Y.XmlElement)) return
    const kids = Y.typeListToArraySnapshot(rebuilt, this.views.N) as Array<Y.XmlElement | Y.XmlText>
    const theirs = target.toArray() as Array<Y.XmlElement | Y.XmlText>
    if (kids.length === theirs.length) kids.forEach((k, n) => this.mapRebuilt(k, theirs[n]!))
  }

  /** A changed heading level or list start, proposed on the parent's block. */
  private form(el: Y.XmlElement, target: Y.XmlElement): void {
    const { B, N } = this.views
    const before = formAttrs(el.nodeName, el.getAttributes(B))
    const now = formAttrs(el.nodeName, el.getAttributes(N))
    if (same(before, now)) return
    this.proposeForm(target, el.nodeName, now)
  }

  private proposeForm(target: Y.XmlElement, node: string, attrs: Record<string, unknown>): void {
    if (!changeableInto(target.nodeName, node)) return
    const change = { node, attrs: formAttrs(node, attrs) }
    const existing = decodeBlockChange(target.getAttribute(BLOCK_ATTR.changed))
    const ownBlock = this.sections.own.has(String(target.getAttribute(BLOCK_ATTR.inserted) ?? ''))
    if (ownBlock && node === target.nodeName) {
      // A block the chapter itself proposed: its form is the chapter's to set.
      for (const [k, v] of Object.entries(change.attrs)) target.setAttribute(k, v as unknown as string)
      return
    }
    if (existing && !this.sections.own.has(existing.amendment)) return
    if (hasForm(target.nodeName, target.getAttributes(), change)) {
      if (existing) target.removeAttribute(BLOCK_ATTR.changed)
      return
    }
    const tag = this.sections.tag()
    target.setAttribute(BLOCK_ATTR.changed, encodeBlockChange({ ...tag, ...change }))
  }

  /** A block the chapter removed: proposed for deletion, or taken out if the chapter itself had proposed it. */
  private removeElement(el: Y.XmlElement): void {
    const inserted = el.getAttribute(BLOCK_ATTR.inserted)
    if (typeof inserted === 'string' && this.sections.own.has(inserted) && ownContent(el, this.sections.own)) {
      const parent = el.parent as Y.XmlElement | Y.XmlFragment
      parent.delete(parent.toArray().indexOf(el), 1)
      return
    }
    proposeDeletion(el, this.sections.tag())
  }

  /** Copy a block the chapter added into the parent, after the anchor's counterpart; returns the copy's id. */
  private insertCopy(el: Y.XmlElement, container: Y.XmlFragment | Y.XmlElement | null, anchor: Id | null): Id | null {
    let index = 0
    let into = container
    if (anchor) {
      const pos = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON({ item: { client: anchor[0], clock: anchor[1] }, assoc: -1 }), this.parent)
      if (pos && (pos.type instanceof Y.XmlElement || pos.type instanceof Y.XmlFragment)) { into = pos.type; index = pos.index }
    }
    if (!into || (into instanceof Y.XmlElement && into._item?.deleted)) {
      this.unplaced += el.toString().replace(/<[^>]*>/g, '').length
      return null
    }
    const copy = proposedCopy(el, this.sections.tag())
    into.insert(index, [copy])
    this.mapCopy(el, copy)
    return idOf(copy)
  }

  private mapCopy(from: Y.XmlElement | Y.XmlText, to: Y.XmlElement | Y.XmlText): void {
    this.corr.addType(idOf(from), idOf(to))
    if (from instanceof Y.XmlText && to instanceof Y.XmlText) {
      const a = charsOf(from)
      const b = charsOf(to)
      a.forEach((c, k) => { if (b[k]) this.corr.addChar(c, b[k]!) })
      return
    }
    if (!(from instanceof Y.XmlElement) || !(to instanceof Y.XmlElement)) return
    const kids = from.toArray() as Array<Y.XmlElement | Y.XmlText>
    const theirs = to.toArray() as Array<Y.XmlElement | Y.XmlText>
    kids.forEach((k, n) => { if (theirs[n]) this.mapCopy(k, theirs[n]!) })
  }

  /** Within one text both drafts share (or one the chapter wrote and an earlier round copied). */
  private text(text: Y.XmlText, counterpart: Id): void {
    const { P, B, N } = this.views
    const attrs = { P: {} as Record<string, unknown>, B: {} as Record<string, unknown>, N: {} as Record<string, unknown>, M: {} as Record<string, unknown> }
    const removed: Array<{ id: Id; live: Id; ch: string; attrs: string }> = []
    const added: Array<{ id: Id; ch: string; attrs: Record<string, unknown> }> = []
    const formats: Array<{ live: Id; change: FormatChange }> = []
    let anchor: Id | null = null
    let groupAnchor: Id | null = null
    const flush = () => {
      if (removed.length + added.length > 0) anchor = this.replace(counterpart, groupAnchor, removed.splice(0), added.splice(0))
    }
    for (let item = text._start; item !== null; item = item.right) {
      const { client, clock } = item.id
      if (item.content instanceof Y.ContentFormat) {
        const { key: k, value } = item.content
        for (const v of ['P', 'B', 'N', 'M'] as const) {
          if (!shows(this.views[v], client, clock)) continue
          if (value === null || value === undefined) delete attrs[v][k]
          else attrs[v][k] = value
        }
        continue
      }
      if (!(item.content instanceof Y.ContentString)) continue
      const str = item.content.str
      for (let o = 0; o < item.length; o++) {
        const c = clock + o
        const id: Id = [client, c]
        const inP = knows(P, client, c)
        if (!knows(N, client, c)) {
          // The parent's own: a place to anchor by, if it shows there.
          if (!shows(P, client, c) || this.corr.standsIn(id)) continue
          flush()
          const live = this.liveChar(id, true)
          if (!live) continue
          anchor = live
          // Words the parent wrote inside a range the chapter formatted (or stopped
          // formatting) read differently in the merge: where the chapter's change since
          // it last proposed (B → M) makes them differ from the parent now.
          const change: FormatChange = {}
          for (const name of FORMAT_MARKS) {
            if (!same(attrs.M[name], attrs.B[name]) && !same(attrs.M[name], attrs.P[name])) change[name] = (attrs.M[name] ?? null) as Record<string, unknown> | null
          }
          // What an earlier round proposed here is brought up to date too (the chapter may have taken its formatting back).
          for (const [k, v] of Object.entries(attrs.P)) {
            if (markName(k) !== MARK.format || !this.sections.own.has(amendmentOf(v) ?? '')) continue
            for (const name of Object.keys(decodeFormatChange((v as { change?: unknown }).change))) if (!(name in change)) change[name] = (attrs.M[name] ?? null) as Record<string, unknown> | null
          }
          if (Object.keys(change).length > 0) formats.push({ live, change })
          continue
        }
        const [vB, vN] = [shows(B, client, c), shows(N, client, c)]
        if (vB && vN) {
          // Kept words the parent has since deleted are not there to keep: they separate nothing.
          const live = this.liveChar(id, inP)
          if (!live) continue
          flush()
          anchor = live
          const change: FormatChange = {}
          for (const name of FORMAT_MARKS) {
            if (same(attrs.B[name], attrs.N[name])) continue
            change[name] = ((inP ? attrs.M[name] : attrs.N[name]) ?? null) as Record<string, unknown> | null
          }
          if (Object.keys(change).length > 0) formats.push({ live, change })
        } else if (vB && !vN) {
          const live = this.liveChar(id, inP)
          if (!live) continue
          if (removed.length + added.length === 0) groupAnchor = anchor
          // How the words read in the parent now: a retyped word that looks the same is no change.
          const looks = inP ? formatting(attrs.P) : this.parentFormatting(live)
          removed.push({ id, live, ch: str[o] ?? '', attrs: JSON.stringify(looks) })
        } else if (!vB && vN) {
          if (removed.length + added.length === 0) groupAnchor = anchor
          added.push({ id, ch: str[o] ?? '', attrs: formatting(attrs.M) })
        }
      }
    }
    flush()
    this.proposeFormats(formats)
  }

  /**
   * A run of removed and added characters with nothing kept between: one replacement.
   * What it leaves as it was (an editor rewrites "capped" as "c" + "apped" removed +
   * "apped at 3%" added) is not proposed: those characters stand for the parent's.
   */
  private replace(counterpart: Id, groupAnchor: Id | null, removed: Array<{ id: Id; live: Id; ch: string; attrs: string }>, added: Array<{ id: Id; ch: string; attrs: Record<string, unknown> }>): Id | null {
    const sameChar = (r: { ch: string; attrs: string }, a: { ch: string; attrs: Record<string, unknown> }) => r.ch === a.ch && r.attrs === JSON.stringify(a.attrs)
    let head = 0
    while (head < removed.length && head < added.length && sameChar(removed[head]!, added[head]!)) head++
    let tail = 0
    while (tail < removed.length - head && tail < added.length - head && sameChar(removed[removed.length - 1 - tail]!, added[added.length - 1 - tail]!)) tail++
    for (let k = 0; k < head; k++) this.corr.addChar(added[k]!.id, removed[k]!.live)
    for (let k = 0; k < tail; k++) this.corr.addChar(added[added.length - 1 - k]!.id, removed[removed.length - 1 - k]!.live)
    const struck = removed.slice(head, removed.length - tail)
    const after = removed.length - tail - 1 >= 0 ? removed[removed.length - tail - 1]!.live : groupAnchor
    if (struck.length > 0) this.strike(struck.map((r) => r.live))
    const middle = added.slice(head, added.length - tail)
    // What comes next in this text goes after the replacement.
    let last = removed.length > 0 ? removed[removed.length - 1]!.live : groupAnchor
    if (middle.length === 0) return last
    const pos = after ? this.moved.position(after, true) : this.moved.textStart(counterpart)
    if (!pos) {
      this.unplaced += middle.length
      return last
    }
    const tag = this.sections.tag()
    const allowed = allowedFor(pos.type)
    let at = pos.index
    for (let j = 0; j < middle.length;) {
      let k = j
      while (k < middle.length && same(middle[k]!.attrs, middle[j]!.attrs)) k++
      const text = middle.slice(j, k).map((c) => c.ch).join('')
      pos.type.insert(at, text, { ...onlyAllowed(middle[j]!.attrs, allowed), ...reviewMarkAttribute(MARK.insertion, tag) })
      const first = Y.createRelativePositionFromTypeIndex(pos.type, at, 0).item!
      for (let n = 0; n < k - j; n++) this.corr.addChar(middle[j + n]!.id, [first.client, first.clock + n])
      at += text.length
      j = k
      if (tail === 0) last = [first.client, first.clock + text.length - 1]
    }
    return last
  }

  private parentFormatting(live: Id): Record<string, unknown> {
    const pos = this.moved.position(live, false)
    return pos ? formatting(attrsAt(pos.type, pos.index)) : {}
  }

  private isOwnInsertion(attrs: Record<string, unknown>): boolean {
    return Object.entries(attrs).some(([k, v]) => markName(k) === MARK.insertion && this.sections.own.has(amendmentOf(v) ?? ''))
  }

  /** Propose deleting these parent characters; take out for real what this chapter itself proposed. */
  private strike(chars: Id[]): void {
    const tag = this.sections.tag()
    const own = chars.filter((id) => { const pos = this.moved.position(id, false); return pos !== null && this.isOwnInsertion(attrsAt(pos.type, pos.index)) })
    const ownKeys = new Set(own.map(key))
    for (const { type, index, length } of ranges(this.parent, chars.filter((id) => !ownKeys.has(key(id))))) type.format(index, length, reviewMarkAttribute(MARK.deletion, tag))
    for (const { type, index, length } of ranges(this.parent, own)) type.delete(index, length)
  }

  /** Formatting the chapter changed on words the parent has: a format proposal, merged with any this amendment already makes there. */
  private proposeFormats(formats: Array<{ live: Id; change: FormatChange }>): void {
    const byChange = new Map<string, Id[]>()
    for (const f of formats) byChange.set(encodeFormatChange(f.change), [...(byChange.get(encodeFormatChange(f.change)) ?? []), f.live])
    for (const [encoded, chars] of byChange) {
      const change = decodeFormatChange(encoded)
      for (const { type, index, length } of ranges(this.parent, chars)) {
        // One edit per run of words that read alike now.
        let start = index
        while (start < index + length) {
          const current = attrsAt(type, start)
          let end = start + 1
          while (end < index + length && same(attrsAt(type, end), current)) end++
          this.formatRun(type, start, end - start, current, change)
          start = end
        }
      }
    }
  }

  private formatRun(type: Y.XmlText, index: number, length: number, current: Record<string, unknown>, change: FormatChange): void {
    const allowed = allowedFor(type)
    const wanted: FormatChange = {}
    for (const [name, value] of Object.entries(change)) if (!allowed || allowed.includes(name)) wanted[name] = value
    if (this.isOwnInsertion(current)) {
      for (const [name, value] of Object.entries(wanted)) if (same(current[name], value)) delete wanted[name]
      if (Object.keys(wanted).length > 0) type.format(index, length, wanted)
      return
    }
    // Merged with what this chapter already proposes here, in that amendment (a later change of mind wins), less what the words already are.
    const existing = Object.entries(current).find(([k, v]) => markName(k) === MARK.format && this.sections.own.has(amendmentOf(v) ?? ''))
    const before = existing ? decodeFormatChange((existing[1] as { change?: unknown }).change) : {}
    const merged: FormatChange = { ...before, ...wanted }
    for (const [name, value] of Object.entries(merged)) if (same(current[name], value)) delete merged[name]
    if (same(merged, before)) return
    const section = this.sections.tag()
    const tag = existing ? { ...section, amendment: amendmentOf(existing[1])! } : section
    type.format(index, length, {
      ...(existing ? { [existing[0]]: null } : {}),
      ...(Object.keys(merged).length > 0 ? formatMarkAttribute(tag, encodeFormatChange(merged)) : {}),
    })
  }
}

/** The visible characters of a text in a snapshot, in order. */
const charsIn = (text: Y.XmlText, snap: Y.Snapshot): Id[] => {
  const out: Id[] = []
  for (let item = text._start; item !== null; item = item.right) {
    if (!(item.content instanceof Y.ContentString)) continue
    for (let o = 0; o < item.length; o++) if (shows(snap, item.id.client, item.id.clock + o)) out.push([item.id.client, item.id.clock + o])
  }
  return out
}

/** Parent characters grouped into runs of neighbours in one text (for one edit per run). */
const ranges = (doc: Y.Doc, chars: Id[]): Array<{ type: Y.XmlText; index: number; length: number }> => {
  const found: Array<{ type: Y.XmlText; index: number }> = []
  for (const id of chars) {
    const abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON({ item: { client: id[0], clock: id[1] }, assoc: 0 }), doc, false)
    if (abs && abs.type instanceof Y.XmlText) found.push({ type: abs.type, index: abs.index })
  }
  const out: Array<{ type: Y.XmlText; index: number; length: number }> = []
  for (const f of found) {
    const last = out[out.length - 1]
    if (last && last.type === f.type && last.index + last.length === f.index) last.length++
    else out.push({ ...f, length: 1 })
  }
  // Last first, so deleting one run leaves the others' indices as they were.
  return out.sort((a, b) => (a.type === b.type ? b.index - a.index : 0))
}

/** Whether all of a block's text is this chapter's own open proposal. */
const ownContent = (el: Y.XmlElement, own: Set<string>): boolean => el.toArray().every((child) => {
  if (child instanceof Y.XmlElement) return ownContent(child, own)
  if (!(child instanceof Y.XmlText)) return true
  return textOps(child).every((op) => Object.entries(op.attributes ?? {}).some(([k, v]) => markName(k) === MARK.insertion && own.has(amendmentOf(v) ?? '')))
})

/** A copy of a block the chapter added, every text run marked as proposed and every text block as a proposed break. */
const proposedCopy = (el: Y.XmlElement, tag: ReviewTag): Y.XmlElement => {
  const copy = new Y.XmlElement(el.nodeName)
  for (const [k, v] of Object.entries(el.getAttributes())) if (k !== BLOCK_ATTR.inserted && k !== BLOCK_ATTR.deleted && k !== BLOCK_ATTR.changed) copy.setAttribute(k, v as string)
  if (TEXTBLOCKS.has(el.nodeName)) copy.setAttribute(BLOCK_ATTR.inserted, tag.amendment)
  const children: Array<Y.XmlElement | Y.XmlText> = []
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      const ops = textOps(child).filter((op): op is { insert: string; attributes?: Record<string, unknown> } => typeof op.insert === 'string')
      const text = new Y.XmlText()
      text.applyDelta(ops.map((op) => ({ insert: op.insert, attributes: { ...formatting(op.attributes ?? {}), ...reviewMarkAttribute(MARK.insertion, tag) } })))
      children.push(text)
    } else if (child instanceof Y.XmlElement) {
      children.push(proposedCopy(child, tag))
    }
  }
  copy.insert(0, children)
  return copy
}

/** Mark everything in a block the chapter deleted as proposed for deletion. */
const proposeDeletion = (el: Y.XmlElement, tag: ReviewTag): void => {
  if (TEXTBLOCKS.has(el.nodeName)) el.setAttribute(BLOCK_ATTR.deleted, tag.amendment)
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) { if (child.length > 0) child.format(0, child.length, reviewMarkAttribute(MARK.deletion, tag)) }
    else if (child instanceof Y.XmlElement) proposeDeletion(child, tag)
  }
}

/** The merge as of the parent when the chapter first proposed: later parent items left out. */
const mergeAsFirstProposed = (merged: Y.Snapshot, chapter: Y.Snapshot, rounds: ProposalRound[]): Y.Snapshot => {
  if (rounds.length === 0) return merged
  const parentThen = Y.decodeStateVector(rounds[0]!.parentState)
  const sv = new Map<number, number>()
  for (const [client, clock] of merged.sv) sv.set(client, Math.min(clock, Math.max(chapter.sv.get(client) ?? 0, parentThen.get(client) ?? 0)))
  return new Y.Snapshot(merged.ds, sv)
}

/**
 * Turn the chapter draft's changes since it last proposed (or since its fork point)
 * into amendments on the parent, one per changed plank (a plank runs from one plank
 * heading to the next). The title is the chapter's own and is never proposed back.
 */
export const proposeBack = (fork: Y.Doc, parentLedger: Ledger, p: Params): ProposeBackResult => {
  const parent = parentLedger.doc
  const point = readForkPoint(fork)
  if (!point) throw new Error('This draft is not a chapter draft: it has no fork point.')
  const open = openAmendments(content(fork)).size
  if (open > 0) throw new Error(`This chapter draft has ${open === 1 ? 'an open amendment' : `${open} open amendments`}. Decide ${open === 1 ? 'it' : 'them'} first, so the chapter proposes back what it agreed.`)
  const rounds = readRounds(fork, point.parentId)
  const forked = Y.decodeSnapshot(point.snapshot)

  // The parent as it is, merged with everything the chapter did since the fork point. In
  // one local transaction: Yjs tidies formatting after a remote one by deleting format
  // items it finds redundant, and the copy must keep every item as the drafts have it.
  const merged = createDraftDoc()
  merged.transact(() => {
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(parent))
    Y.applyUpdate(merged, Y.encodeStateAsUpdate(fork, Y.encodeStateVector(forked.sv)))
  }, ORIGIN.copy)
  const chapterNow = Y.snapshot(fork)
  const views: Views = { P: Y.snapshot(parent), B: proposedSoFar(rounds, point.snapshot), N: chapterNow, M: mergeAsFirstProposed(Y.snapshot(merged), chapterNow, rounds) }
  const parentState = Y.encodeStateVector(parent)
  const corr = new Correspondence(rounds)
  let sections: Sections | null = null
  let walk: Walk | null = null
  parent.transact(() => {
    sections = new Sections(parentLedger, p, rounds)
    walk = new Walk(parent, views, corr, sections)
    walk.container(content(merged), content(parent), true)
  }, ORIGIN.local)
  merged.destroy()
  const s = sections! as Sections
  fork.transact(() => {
    meta(fork).set(META.forkedFrom, { ...point, proposedBack: p.now })
    recordRound(fork, {
      v: 1, id: newId(), parent: point.parentId, at: p.now, snapshot: Y.encodeSnapshot(views.N),
      chars: corr.segments(), types: corr.newTypes, amendments: { ...Object.fromEntries(rounds.flatMap((r) => Object.entries(r.amendments))), ...s.record() },
      parentState,
    }, ORIGIN.local)
  }, ORIGIN.local)
  return { amendments: s.created, updated: s.updated, withdrawn: s.withdrawn, unplaced: (walk! as Walk).unplaced }
}
