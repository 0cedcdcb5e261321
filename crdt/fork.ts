import * as Y from 'yjs'
import { BLOCK_ATTR, MARK, META, NODE, PLANK_LEVEL } from './format.ts'
import { content, copyDraft, meta } from './draft.ts'
import { clearRecordLogs } from './roster.ts'
import { renameDraft } from './title.ts'
import { type Author } from './author.ts'
import { type Amendment, proposeAmendment } from './amendments.ts'
import { REVIEW_MARKS, TEXTBLOCKS, markName, openAmendments } from './content-items.ts'
import { type ReviewTag, reviewMarkAttribute } from './review-marks.ts'
import { ORIGIN } from './origins.ts'

/**
 * Chapter drafts. A chapter forks the platform to work on its own copy: a new draft
 * with the parent's whole history and the fork point (a snapshot of the parent) in
 * its meta. Later it "proposes back": its changes since the fork point become
 * amendments on the parent, one per changed section, for the parent's committee.
 *
 * Both drafts share every item up to the fork point, so the chapter's changes are
 * exact, not guessed by a text diff: a copy of the parent merged with the chapter's
 * updates since the fork point holds, word for word, what the chapter added (items
 * the parent lacks) and what it deleted (items the parent still shows). Those are
 * written into the parent as proposals — inserted words marked `insertion`, deleted
 * ones marked `deletion`, new and removed paragraphs as proposed breaks — so nothing
 * changes in the parent until it is accepted.
 */
export interface ForkPoint {
  parentId: string
  parentTitle: string
  /** Y.encodeSnapshot of the parent when the chapter draft was made. */
  snapshot: Uint8Array
  at: number
  /** When this chapter last proposed its changes back, if ever. */
  proposedBack?: number
}

export const readForkPoint = (doc: Y.Doc): ForkPoint | null => {
  const v = meta(doc).get(META.forkedFrom) as Partial<ForkPoint> | undefined
  if (!v || typeof v.parentId !== 'string' || !(v.snapshot instanceof Uint8Array)) return null
  return {
    parentId: v.parentId,
    parentTitle: typeof v.parentTitle === 'string' ? v.parentTitle : '',
    snapshot: v.snapshot,
    at: typeof v.at === 'number' ? v.at : 0,
    ...(typeof v.proposedBack === 'number' ? { proposedBack: v.proposedBack } : {}),
  }
}

/**
 * A chapter draft of `parent`: its whole history, a new title and chapter, and the fork
 * point. The parent committee's roster and votes are not the chapter's: they are left
 * behind, and the chapter's creator founds its own roster (roster.ts `foundDraft`).
 */
export const startChapterDraft = (parent: Y.Doc, p: { parentId: string; parentTitle: string; chapter: string; title: string; now: number }): Y.Doc => {
  const fork = copyDraft(parent, ORIGIN.copy)
  const point: ForkPoint = { parentId: p.parentId, parentTitle: p.parentTitle, snapshot: Y.encodeSnapshot(Y.snapshot(fork)), at: p.now }
  fork.transact(() => {
    meta(fork).set(META.forkedFrom, point)
    meta(fork).set(META.chapter, p.chapter)
    renameDraft(fork, p.title, ORIGIN.copy)
    clearRecordLogs(fork, ORIGIN.copy)
  }, ORIGIN.copy)
  return fork
}

export interface ProposeBackResult {
  amendments: Amendment[]
  /** Characters the chapter wrote where the parent has since deleted the text: they cannot be placed. */
  unplaced: number
}

type Item = NonNullable<Y.AbstractType<unknown>['_item']>
const visibleIn = (item: Item, snap: Y.Snapshot): boolean => (snap.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snap.ds, item.id)

type Delta = Array<{ insert: string | object; attributes?: Record<string, unknown> & { ychange?: { type: 'added' | 'removed' } } }>

/** Characters of text added between two snapshots of a draft's content, its title left out (for the unplaced count). */
const addedOutsideTitle = (fragment: Y.XmlFragment, now: Y.Snapshot, before: Y.Snapshot): number => {
  let n = 0
  const walk = (node: Y.XmlFragment | Y.XmlElement) => {
    for (const child of Y.typeListToArraySnapshot(node, now) as Array<Y.XmlElement | Y.XmlText>) {
      if (child instanceof Y.XmlText) {
        for (const op of child.toDelta(now, before, (type: string) => ({ type })) as Delta) if (op.attributes?.ychange?.type === 'added' && typeof op.insert === 'string') n += op.insert.length
      } else if (child.nodeName !== NODE.title) walk(child)
    }
  }
  walk(fragment)
  return n
}

/** Formatting attributes of a run, without review marks (the chapter's own proposals are settled first). */
const formatting = (attrs: Record<string, unknown> | undefined): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(attrs ?? {})) if (k !== 'ychange' && !REVIEW_MARKS.has(markName(k))) out[k] = v
  return out
}

/** Per section, the amendment that carries its changes (made when the section's first change is found). */
class Sections {
  private readonly made = new Map<string, ReviewTag>()
  readonly amendments: Amendment[] = []
  label = 'Opening'
  constructor(private readonly parent: Y.Doc, private readonly p: { author: Author; now: number; chapter: string; forkTitle: string }) {}

  tag(): ReviewTag {
    let tag = this.made.get(this.label)
    if (!tag) {
      const a = proposeAmendment(this.parent, {
        title: `${this.p.chapter}: ${this.label}`,
        rationale: `Proposed back from the chapter draft “${this.p.forkTitle}”.`,
        author: this.p.author, now: this.p.now,
      }, ORIGIN.local)
      this.amendments.push(a)
      tag = { amendment: a.id, author: this.p.author.name, color: this.p.author.color }
      this.made.set(this.label, tag)
    }
    return tag
  }
}

/** A copy of a block the chapter added, every text run marked as proposed and every text block as a proposed break. */
const proposedCopy = (el: Y.XmlElement, tag: ReviewTag, count: { chars: number }): Y.XmlElement => {
  const copy = new Y.XmlElement(el.nodeName)
  for (const [k, v] of Object.entries(el.getAttributes())) if (k !== BLOCK_ATTR.inserted && k !== BLOCK_ATTR.deleted) copy.setAttribute(k, v as string)
  if (TEXTBLOCKS.has(el.nodeName)) copy.setAttribute(BLOCK_ATTR.inserted, tag.amendment)
  const children: Array<Y.XmlElement | Y.XmlText> = []
  for (const child of el.toArray()) {
    if (child instanceof Y.XmlText) {
      const ops = (child.toDelta() as Delta).filter((op): op is { insert: string; attributes?: Record<string, unknown> } => typeof op.insert === 'string')
      for (const op of ops) count.chars += op.insert.length
      const text = new Y.XmlText()
      text.applyDelta(ops.map((op) => ({ insert: op.insert, attributes: { ...formatting(op.attributes), ...reviewMarkAttribute(MARK.insertion, tag) } })))
      children.push(text)
    } else if (child instanceof Y.XmlElement) {
      children.push(proposedCopy(child, tag, count))
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

const plainText = (el: Y.XmlElement): string => el.toArray().map((c) => (c instanceof Y.XmlText ? c.toString().replace(/<[^>]*>/g, '') : '')).join('')

/**
 * Turn the chapter draft's changes since its fork point into amendments on the
 * parent, one per changed section (a section runs from one plank heading to the
 * next). The title is the chapter's own and is never proposed back.
 */
export const proposeBack = (fork: Y.Doc, parent: Y.Doc, p: { author: Author; now: number; chapter: string; forkTitle: string }): ProposeBackResult => {
  const point = readForkPoint(fork)
  if (!point) throw new Error('This draft is not a chapter draft: it has no fork point.')
  const open = openAmendments(content(fork)).size
  if (open > 0) throw new Error(`This chapter draft has ${open === 1 ? 'an open amendment' : `${open} open amendments`}. Decide ${open === 1 ? 'it' : 'them'} first, so the chapter proposes back what it agreed.`)
  const forked = Y.decodeSnapshot(point.snapshot)

  // The parent as it is, merged with what the chapter did since the fork point.
  const merged = copyDraft(parent, ORIGIN.copy)
  Y.applyUpdate(merged, Y.encodeStateAsUpdate(fork, Y.encodeStateVector(forked.sv)), ORIGIN.copy)
  const before = Y.snapshot(parent)
  const after = Y.snapshot(merged)
  // Visible in the parent now, or added by the chapter: the union both views are read from.
  const union = new Y.Snapshot(before.ds, after.sv)

  const sections = new Sections(parent, p)
  const placed = { chars: 0 }

  /** Walk a merged node beside its counterpart in the parent (same items up to the fork point). */
  const walk = (mergedNode: Y.XmlFragment | Y.XmlElement, parentNode: Y.XmlFragment | Y.XmlElement, topLevel: boolean) => {
    let at = 0 // index among the parent node's children
    for (const child of Y.typeListToArraySnapshot(mergedNode, union) as Array<Y.XmlElement | Y.XmlText>) {
      const item = child._item!
      const inParent = visibleIn(item, before)
      const inMerged = !item.deleted
      if (topLevel && child instanceof Y.XmlElement) {
        if (child.nodeName === NODE.title) { if (inParent) at++; continue }
        if (child.nodeName === NODE.heading && Number(child.getAttribute('level')) === PLANK_LEVEL) sections.label = plainText(child) || 'Untitled section'
      }
      if (inParent && inMerged) {
        const counterpart = parentNode.get(at)
        if (child instanceof Y.XmlText && counterpart instanceof Y.XmlText) placed.chars += proposeTextChanges(child, counterpart, after, before, sections)
        else if (child instanceof Y.XmlElement && counterpart instanceof Y.XmlElement) walk(child, counterpart, false)
        at++
      } else if (!inParent && inMerged) {
        if (child instanceof Y.XmlElement) {
          parentNode.insert(at, [proposedCopy(child, sections.tag(), placed)])
          at++
        }
      } else if (inParent && !inMerged) {
        const counterpart = parentNode.get(at)
        if (counterpart instanceof Y.XmlElement) proposeDeletion(counterpart, sections.tag())
        at++
      }
    }
  }
  parent.transact(() => walk(content(merged), content(parent), true), ORIGIN.local)
  merged.destroy()
  fork.transact(() => meta(fork).set(META.forkedFrom, { ...point, proposedBack: p.now }), ORIGIN.local)
  // What the chapter wrote (its title is its own), less what found a place.
  const wrote = addedOutsideTitle(content(fork), Y.snapshot(fork), forked)
  return { amendments: sections.amendments, unplaced: Math.max(0, wrote - placed.chars) }
}

/** Within one text both drafts share: mark the chapter's deletions and insert its additions as proposals. */
const proposeTextChanges = (mergedText: Y.XmlText, parentText: Y.XmlText, after: Y.Snapshot, before: Y.Snapshot, sections: Sections): number => {
  const ops = mergedText.toDelta(after, before, (type: string) => ({ type })) as Delta
  let index = 0 // in the parent's text, as it grows with each insertion
  let added = 0
  for (let i = 0; i < ops.length;) {
    const op = ops[i]!
    if (typeof op.insert !== 'string' || !op.attributes?.ychange) {
      index += typeof op.insert === 'string' ? op.insert.length : 1
      i++
      continue
    }
    // A run of removed and added text with nothing kept between: one replacement.
    const removed: Array<{ ch: string; attrs: string }> = []
    const inserted: Array<{ ch: string; attrs: Record<string, unknown> }> = []
    for (; i < ops.length; i++) {
      const o = ops[i]!
      const change = o.attributes?.ychange?.type
      if (typeof o.insert !== 'string' || !change) break
      const attrs = formatting(o.attributes)
      if (change === 'removed') for (const ch of o.insert) removed.push({ ch, attrs: JSON.stringify(attrs) })
      else for (const ch of o.insert) inserted.push({ ch, attrs })
    }
    // Trim what the replacement leaves as it was (an editor rewrites "capped" as
    // "c" + "apped" removed + "apped at 3%" added), so the proposal shows only the
    // change; a character counts as unchanged only with its formatting unchanged too.
    const same = (r: { ch: string; attrs: string }, a: { ch: string; attrs: Record<string, unknown> }) => r.ch === a.ch && r.attrs === JSON.stringify(a.attrs)
    let head = 0
    while (head < removed.length && head < inserted.length && same(removed[head]!, inserted[head]!)) head++
    let tail = 0
    while (tail < removed.length - head && tail < inserted.length - head && same(removed[removed.length - 1 - tail]!, inserted[inserted.length - 1 - tail]!)) tail++
    const struck = removed.length - head - tail
    if (struck > 0) parentText.format(index + head, struck, reviewMarkAttribute(MARK.deletion, sections.tag()))
    let at = index + removed.length - tail
    const middle = inserted.slice(head, inserted.length - tail)
    for (let j = 0; j < middle.length;) {
      let k = j
      while (k < middle.length && JSON.stringify(middle[k]!.attrs) === JSON.stringify(middle[j]!.attrs)) k++
      const text = middle.slice(j, k).map((c) => c.ch).join('')
      parentText.insert(at, text, { ...middle[j]!.attrs, ...reviewMarkAttribute(MARK.insertion, sections.tag()) })
      at += text.length
      j = k
    }
    added += inserted.length
    index += removed.length + middle.length
  }
  return added
}
