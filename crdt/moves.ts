import * as Y from 'yjs'
import { ROOT, TEXTBLOCK_MARKS } from './format.ts'
import { markName, textOps } from './content-items.ts'
import { newId } from './ids.ts'
import { ORIGIN } from './origins.ts'

/**
 * Moved words, and concurrent edits to them.
 *
 * Yjs cannot move text: joining two paragraphs (accepting a proposed join, rejecting a
 * proposed split) or giving a block a new type copies its words into another text as
 * new items and deletes the old ones. A member who edited exactly those words at the
 * same moment, on another device, edited the old items, and their edit would land in
 * deleted text.
 *
 * So each copy is recorded (a `move`: which source characters became which target
 * characters, and exactly what the mover saw of the source: the items it knew and
 * those it saw deleted). A device that knew a concurrent edit before it saw the move
 * — always including the device that made it — merges the two views of the source as
 * Yjs would (every insertion and deletion of either) and makes the copy read that way:
 *
 * - a copied character deleted there is deleted at its copy (deleting twice is harmless);
 * - a character whose formatting differs in the merge is formatted so at its copy
 *   (formatting twice is harmless);
 * - words typed there, which the mover did not know, are inserted after the copy of
 *   the character before them, with their formatting, and the insertion is recorded
 *   as a `forward` claim. Several devices may carry the same words at once: the first
 *   claim in the array (the same on every peer) keeps its copy, and every peer
 *   deletes the others' copies, so the text converges with the words once.
 *
 * A device that only learns the edit after the move cannot tell an edit made before
 * the move from one made after, so it leaves the carrying to the others. Records are
 * data from peers: malformed ones are ignored, and a record only forwards from a text
 * deleted by the very transaction that brought the record.
 */
export type ItemId = [number, number]
type Id = ItemId
/** Source characters client:clock … +n-1 became target characters client:clock … +n-1. */
type Segment = [number, number, number, number, number]

interface MoveRecord {
  v: 1
  kind: 'move'
  id: string
  src: Id
  dst: Id
  /** The target character just before the copy (null: the copy starts the target). */
  after: Id | null
  /** The mover's state for every client with items in the source. */
  sv: Array<[number, number]>
  /** The source's items the mover saw deleted (client, clock, length). */
  del: Array<[number, number, number]>
  segs: Segment[]
}

interface ForwardClaim {
  v: 1
  kind: 'forward'
  move: string
  segs: Segment[]
}

const MAX_SEGMENTS = 50_000
const MAX_CHARS = 1_000_000

export const movesLog = (doc: Y.Doc): Y.Array<unknown> => doc.getArray(ROOT.moves)

const isId = (v: unknown): v is Id => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isSafeInteger(n) && n >= 0)
const isSegments = (v: unknown): v is Segment[] => Array.isArray(v) && v.length <= MAX_SEGMENTS &&
  v.every((s) => Array.isArray(s) && s.length === 5 && s.every((n) => Number.isSafeInteger(n) && n >= 0) && (s[4] as number) > 0 && (s[4] as number) <= MAX_CHARS)

const isRanges = (v: unknown): v is Array<[number, number, number]> => Array.isArray(v) && v.length <= MAX_SEGMENTS &&
  v.every((s) => Array.isArray(s) && s.length === 3 && s.every((n) => Number.isSafeInteger(n) && n >= 0))

const readMove = (v: unknown): MoveRecord | null => {
  if (typeof v !== 'object' || v === null) return null
  const r = v as Record<string, unknown>
  if (r.v !== 1 || r.kind !== 'move' || typeof r.id !== 'string' || !isId(r.src) || !isId(r.dst) || !(r.after === null || isId(r.after))) return null
  if (!Array.isArray(r.sv) || r.sv.length > MAX_SEGMENTS || !r.sv.every(isId) || !isSegments(r.segs) || !isRanges(r.del)) return null
  return r as unknown as MoveRecord
}

const readClaim = (v: unknown): ForwardClaim | null => {
  if (typeof v !== 'object' || v === null) return null
  const r = v as Record<string, unknown>
  if (r.v !== 1 || r.kind !== 'forward' || typeof r.move !== 'string' || !isSegments(r.segs)) return null
  return r as unknown as ForwardClaim
}

const key = (client: number, clock: number): string => `${client}:${clock}`

/** The item holding a character or type id, if this doc has it. */
const itemAt = (doc: Y.Doc, id: Id): Y.Item | null => {
  if (Y.getState(doc.store, id[0]) <= id[1]) return null
  const item = Y.getItem(doc.store, Y.createID(id[0], id[1]))
  return item instanceof Y.Item ? item : null
}

const textAt = (doc: Y.Doc, id: Id): Y.XmlText | null => {
  const item = itemAt(doc, id)
  const type = item?.content instanceof Y.ContentType ? item.content.type : null
  return type instanceof Y.XmlText ? type : null
}

const idOf = (type: { _item: Y.Item | null }): Id => [type._item!.id.client, type._item!.id.clock]

/** Where a character is in its text now (after it with `after`; where it was, if deleted). */
const positionOf = (doc: Y.Doc, id: Id, after: boolean): { type: Y.XmlText; index: number } | null => {
  const abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON({ item: { client: id[0], clock: id[1] }, assoc: after ? -1 : 0 }), doc, false)
  return abs && abs.type instanceof Y.XmlText ? { type: abs.type, index: abs.index } : null
}

const charDeleted = (doc: Y.Doc, id: Id): boolean => itemAt(doc, id)?.deleted ?? true

/** Characters of a text's visible string items, in order. */
const visibleChars = (text: Y.XmlText): Id[] => {
  const out: Id[] = []
  for (let item = text._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentString)) continue
    for (let o = 0; o < item.length; o++) out.push([item.id.client, item.id.clock + o])
  }
  return out
}

const toSegments = (pairs: Array<[Id, Id]>): Segment[] => {
  const segs: Segment[] = []
  for (const [s, t] of pairs) {
    const last = segs[segs.length - 1]
    if (last && last[0] === s[0] && last[1] + last[4] === s[1] && last[2] === t[0] && last[3] + last[4] === t[1]) last[4]++
    else segs.push([s[0], s[1], t[0], t[1], 1])
  }
  return segs
}

const expand = (segs: Segment[]): Map<string, Id> => {
  const map = new Map<string, Id>()
  for (const [sc, sk, tc, tk, n] of segs) for (let i = 0; i < n; i++) map.set(key(sc, sk + i), [tc, tk + i])
  return map
}

/** Only the marks the block holding `text` may hold (a heading holds no bold), as ProseMirror would keep them. */
const allowedIn = (text: Y.XmlText, attrs: Record<string, unknown>): Record<string, unknown> => {
  const block = text.parent instanceof Y.XmlElement ? text.parent.nodeName : ''
  const allowed = TEXTBLOCK_MARKS[block]
  if (!allowed) return { ...attrs }
  return Object.fromEntries(Object.entries(attrs).filter(([k]) => allowed.includes(markName(k))))
}

/**
 * Copy the visible text of `source` into `target` at `at` (its formatting included,
 * as far as the target's block may hold it) and record the move. Call inside the
 * transaction that deletes the source.
 */
export const copyTextInto = (source: Y.XmlText, target: Y.XmlText, at: number): void => {
  const doc = target.doc!
  const sourceChars = visibleChars(source)
  const after = at > 0 ? (Y.createRelativePositionFromTypeIndex(target, at - 1, 0).item) : null
  const start = Y.getState(doc.store, doc.clientID)
  let index = at
  for (const op of textOps(source)) {
    if (typeof op.insert !== 'string') continue
    target.insert(index, op.insert, allowedIn(target, op.attributes ?? {}))
    index += op.insert.length
  }
  const copied: Id[] = []
  for (let item = target._start; item !== null; item = item.right) {
    if (item.id.client !== doc.clientID || item.id.clock < start || !(item.content instanceof Y.ContentString)) continue
    for (let o = 0; o < item.length; o++) copied.push([item.id.client, item.id.clock + o])
  }
  const clients = new Set<number>()
  const del: Array<[number, number, number]> = []
  for (let item = source._start; item !== null; item = item.right) {
    clients.add(item.id.client)
    if (!item.deleted) continue
    const last = del[del.length - 1]
    if (last && last[0] === item.id.client && last[1] + last[2] === item.id.clock) last[2] += item.length
    else del.push([item.id.client, item.id.clock, item.length])
  }
  const record: MoveRecord = {
    v: 1, kind: 'move', id: newId(), src: idOf(source), dst: idOf(target),
    after: after ? [after.client, after.clock] : null,
    sv: [...clients].map((c) => [c, Y.getState(doc.store, c)]),
    del,
    segs: toSegments(sourceChars.map((s, i) => [s, copied[i]!] as [Id, Id]).filter((p) => p[1] !== undefined)),
  }
  movesLog(doc).push([record])
}

/** Follow a character through later moves until it is in a text that is not deleted. */
const liveChar = (doc: Y.Doc, id: Id, bySource: Map<string, MoveRecord[]>): Id | null => {
  let current: Id = id
  for (let hop = 0; hop < 16; hop++) {
    const item = itemAt(doc, current)
    const parent = item?.parent as Y.AbstractType<unknown> | null | undefined
    if (!item || !parent) return null
    if (!parent._item?.deleted) return current
    let next: Id | undefined
    for (const m of bySource.get(key(...idOf(parent))) ?? []) {
      next = expand(m.segs).get(key(...current))
      if (next) break
    }
    if (!next) return null
    current = next
  }
  return null
}

interface Plan {
  deletes: Id[]
  formats: Array<{ dst: Id; attrs: Record<string, unknown> }>
  inserts: Array<{ anchor: Id | null; text: string; attrs: Record<string, unknown>; src: Id[] }>
}

/**
 * What to change in the copy so that it reads as the source would after merging what
 * this device knew just before `tr` with what the mover knew: Yjs's own merge of two
 * states (every insertion of either, every deletion of either), done on the copy.
 * `tr` brought the record and deleted the source.
 */
const planForward = (tr: Y.Transaction, source: Y.XmlText, move: MoveRecord): Plan => {
  const plan: Plan = { deletes: [], formats: [], inserts: [] }
  const known = new Map(move.sv.map(([c, k]) => [c, k]))
  const deletedByMover = new Map<number, Array<[number, number]>>()
  for (const [c, k, n] of move.del) deletedByMover.set(c, [...(deletedByMover.get(c) ?? []), [k, n]])
  const moverDeleted = (client: number, clock: number) => (deletedByMover.get(client) ?? []).some(([k, n]) => clock >= k && clock < k + n)
  const copied = expand(move.segs)
  // Formatting as the mover saw it (what the copy has) and as the merge of both sees it.
  const moverAttrs: Record<string, unknown> = {}
  const mergedAttrs: Record<string, unknown> = {}
  const setAttr = (attrs: Record<string, unknown>, k: string, value: unknown) => { if (value === null || value === undefined) delete attrs[k]; else attrs[k] = value }
  let anchor: Id | null = move.after
  let run: Plan['inserts'][number] | null = null
  for (let item = source._start; item !== null; item = item.right) {
    const { client, clock } = item.id
    const existed = clock < (tr.beforeState.get(client) ?? 0)
    const deletedHere = existed && item.deleted && !Y.isDeleted(tr.deleteSet, item.id)
    const moverKnew = clock < (known.get(client) ?? 0)
    if (item.content instanceof Y.ContentFormat) {
      const { key: k, value } = item.content
      if (moverKnew && !moverDeleted(client, clock)) setAttr(moverAttrs, k, value)
      if ((moverKnew || existed) && !moverDeleted(client, clock) && !deletedHere) setAttr(mergedAttrs, k, value)
      continue
    }
    if (!(item.content instanceof Y.ContentString)) continue
    const str = item.content.str
    for (let o = 0; o < item.length; o++) {
      const merged = (moverKnew || existed) && !moverDeleted(client, clock + o) && !deletedHere
      const dst = copied.get(key(client, clock + o))
      if (dst) {
        run = null
        anchor = dst
        if (!merged) {
          plan.deletes.push(dst)
          continue
        }
        const change: Record<string, unknown> = {}
        for (const k of new Set([...Object.keys(moverAttrs), ...Object.keys(mergedAttrs)])) {
          if (JSON.stringify(moverAttrs[k] ?? null) !== JSON.stringify(mergedAttrs[k] ?? null)) change[k] = mergedAttrs[k] ?? null
        }
        if (Object.keys(change).length > 0) plan.formats.push({ dst, attrs: change })
      } else if (merged) {
        // Not copied yet in the merge: words the mover never saw.
        if (!run || JSON.stringify(run.attrs) !== JSON.stringify(mergedAttrs)) {
          run = { anchor, text: '', attrs: { ...mergedAttrs }, src: [] }
          plan.inserts.push(run)
          // A later run after this one goes after its last character (set once inserted).
          anchor = null
        }
        run.text += str[o] ?? ''
        run.src.push([client, clock + o])
      }
    }
  }
  return plan
}

const deleteChars = (doc: Y.Doc, ids: Id[], bySource: Map<string, MoveRecord[]>): void => {
  for (const id of ids) {
    const live = liveChar(doc, id, bySource)
    if (!live || charDeleted(doc, live)) continue
    const pos = positionOf(doc, live, false)
    if (pos) pos.type.delete(pos.index, 1)
  }
}

const applyPlan = (doc: Y.Doc, move: MoveRecord, plan: Plan, bySource: Map<string, MoveRecord[]>): void => {
  // Words first, while every anchor is still there: placed after a character that is
  // already deleted, Yjs would put two runs at one index in either order.
  const target = textAt(doc, move.dst)
  let previousEnd: Id | null = null
  for (const run of plan.inserts) {
    // No anchor: right after the run before it, or where the copy began.
    const anchor = run.anchor ?? previousEnd ?? move.after
    let pos: { type: Y.XmlText; index: number } | null = null
    if (anchor) {
      const live = liveChar(doc, anchor, bySource)
      pos = live ? positionOf(doc, live, true) : null
    } else if (target && !target._item?.deleted) {
      pos = { type: target, index: 0 }
    }
    if (!pos || pos.type._item?.deleted) continue
    pos.type.insert(pos.index, run.text, allowedIn(pos.type, run.attrs))
    const first = Y.createRelativePositionFromTypeIndex(pos.type, pos.index, 0).item!
    const dst: Id[] = run.text.split('').map((_, i) => [first.client, first.clock + i])
    previousEnd = dst[dst.length - 1] ?? previousEnd
    const claim: ForwardClaim = { v: 1, kind: 'forward', move: move.id, segs: toSegments(run.src.map((s, i) => [s, dst[i]!] as [Id, Id])) }
    movesLog(doc).push([claim])
  }
  deleteChars(doc, plan.deletes, bySource)
  for (const { dst, attrs } of plan.formats) {
    const live = liveChar(doc, dst, bySource)
    if (!live || charDeleted(doc, live)) continue
    const pos = positionOf(doc, live, false)
    const allowed = pos && allowedIn(pos.type, attrs)
    if (pos && allowed && Object.keys(allowed).length > 0) pos.type.format(pos.index, 1, allowed)
  }
}

/** Every peer keeps the first claim's copy of each forwarded character and deletes the rest. */
const resolveClaims = (doc: Y.Doc, claims: ForwardClaim[], bySource: Map<string, MoveRecord[]>): void => {
  const winner = new Map<string, ForwardClaim>()
  const losers: Id[] = []
  for (const claim of claims) {
    for (const [sc, sk, tc, tk, n] of claim.segs) {
      for (let i = 0; i < n; i++) {
        const k = `${claim.move}/${key(sc, sk + i)}`
        const first = winner.get(k)
        if (!first) winner.set(k, claim)
        else if (first !== claim) losers.push([tc, tk + i])
      }
    }
  }
  const live = losers.filter((id) => { const l = liveChar(doc, id, bySource); return l !== null && !charDeleted(doc, l) })
  if (live.length > 0) deleteChars(doc, live, bySource)
}

const readLog = (doc: Y.Doc): { moves: MoveRecord[]; claims: ForwardClaim[]; bySource: Map<string, MoveRecord[]> } => {
  const moves: MoveRecord[] = []
  const claims: ForwardClaim[] = []
  for (const v of movesLog(doc).toArray()) {
    const m = readMove(v)
    if (m) { moves.push(m); continue }
    const c = readClaim(v)
    if (c) claims.push(c)
  }
  const bySource = new Map<string, MoveRecord[]>()
  for (const m of moves) {
    const k = key(...m.src)
    bySource.set(k, [...(bySource.get(k) ?? []), m])
  }
  return { moves, claims, bySource }
}

/** Records added to the log by this transaction. */
const addedBy = (tr: Y.Transaction, log: Y.Array<unknown>): unknown[] => {
  const out: unknown[] = []
  for (let item = log._start; item !== null; item = item.right) {
    if (item.deleted || item.id.clock < (tr.beforeState.get(item.id.client) ?? 0)) continue
    out.push(...(item.content.getContent() as unknown[]))
  }
  return out
}

/**
 * Two members deciding the same join (or new block type) at once each copy the words:
 * the first move in the array stands, every peer deletes the others' copies, and a
 * block rebuilt only to hold such a copy goes with it.
 */
const resolveDoubleMoves = (doc: Y.Doc, moves: MoveRecord[], bySource: Map<string, MoveRecord[]>): void => {
  const losers = [...bySource.values()].filter((ms) => ms.length > 1).flatMap((ms) => ms.slice(1))
  if (losers.length === 0) return
  const chars: Id[] = []
  const emptied = new Set<Y.XmlText>()
  for (const m of losers) {
    for (const [, , tc, tk, n] of m.segs) for (let i = 0; i < n; i++) chars.push([tc, tk + i])
    const dst = textAt(doc, m.dst)
    if (dst) emptied.add(dst)
  }
  deleteChars(doc, chars.filter((id) => !charDeleted(doc, id)), bySource)
  const winners = new Set(moves.filter((m) => !losers.includes(m)).map((m) => key(...m.dst)))
  const onlyLosers = (node: Y.XmlElement): boolean => node.toArray().every((c) =>
    c instanceof Y.XmlText ? emptied.has(c) && c.length === 0 && !winners.has(key(...idOf(c))) : c instanceof Y.XmlElement ? onlyLosers(c) : true)
  for (const text of emptied) {
    let top: Y.XmlElement | null = null
    for (let el = text.parent; el instanceof Y.XmlElement && !el._item?.deleted && onlyLosers(el); el = el.parent) top = el
    const parent = top?.parent as Y.XmlElement | Y.XmlFragment | null | undefined
    if (top && parent) parent.delete(parent.toArray().indexOf(top), 1)
  }
}

/**
 * Carry concurrent edits to moved words over, on this device, from now on. Call once
 * per open draft, before any remote update is applied; returns the unsubscribe.
 */
export const forwardMovedEdits = (doc: Y.Doc): (() => void) => {
  const log = movesLog(doc)
  const onTransaction = (tr: Y.Transaction) => {
    if (!tr.changed.has(log as unknown as Parameters<typeof tr.changed.has>[0])) return
    const added = addedBy(tr, log)
    if (added.length === 0) return
    const { moves, claims, bySource } = readLog(doc)
    const plans: Array<{ move: MoveRecord; plan: Plan }> = []
    for (const v of added) {
      const move = readMove(v)
      if (!move) continue
      const source = textAt(doc, move.src)
      // Only a text this very transaction deleted can have been moved by it.
      if (!source?._item || !Y.isDeleted(tr.deleteSet, source._item.id)) continue
      const plan = planForward(tr, source, move)
      if (plan.deletes.length + plan.formats.length + plan.inserts.length > 0) plans.push({ move, plan })
    }
    const newClaims = added.some((v) => readClaim(v) !== null)
    const doubled = added.some((v) => { const m = readMove(v); return m !== null && (bySource.get(key(...m.src))?.length ?? 0) > 1 })
    if (plans.length === 0 && !newClaims && !doubled) return
    doc.transact(() => {
      for (const { move, plan } of plans) applyPlan(doc, move, plan, bySource)
      if (newClaims) resolveClaims(doc, claims, bySource)
      if (doubled) resolveDoubleMoves(doc, moves, bySource)
    }, ORIGIN.forward)
  }
  doc.on('afterTransaction', onTransaction)
  return () => doc.off('afterTransaction', onTransaction)
}

/** For tests and tools: resolve duplicate forwarded copies now (what a watching peer does). */
export const resolveForwardClaims = (doc: Y.Doc): void => {
  const { claims, bySource } = readLog(doc)
  doc.transact(() => resolveClaims(doc, claims, bySource), ORIGIN.forward)
}

/** Finding where characters went, following the moves of decisions (for proposing back into a draft that has since decided). */
export interface MovedPositions {
  /** The character now (itself, or its copy), or null where it is gone. */
  char(id: Id): Id | null
  /** The index right after (or at) a character in the live text now holding it. */
  position(id: Id, after: boolean): { type: Y.XmlText; index: number } | null
  /** The start of a text, or where its words went if it was moved. */
  textStart(textId: Id): { type: Y.XmlText; index: number } | null
}

export const movedPositions = (doc: Y.Doc): MovedPositions => {
  const { bySource } = readLog(doc)
  const char = (id: Id) => liveChar(doc, id, bySource)
  const position = (id: Id, after: boolean) => {
    const live = char(id)
    const pos = live ? positionOf(doc, live, after) : null
    return pos && !pos.type._item?.deleted ? pos : null
  }
  return {
    char,
    position,
    textStart: (textId) => {
      const text = textAt(doc, textId)
      if (text && !text._item?.deleted) return { type: text, index: 0 }
      const move = bySource.get(key(...textId))?.[0]
      if (!move) return null
      if (move.after) return position(move.after, true)
      const target = textAt(doc, move.dst)
      return target && !target._item?.deleted ? { type: target, index: 0 } : null
    },
  }
}
