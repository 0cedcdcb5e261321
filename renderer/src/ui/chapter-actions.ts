import { ORIGIN, applyStoredUpdates, createDraftDoc, readMeta, readTitle, UNTITLED } from '../../../crdt/index.ts'
import { readForkPoint, startChapterDraft } from '../../../crdt/fork.ts'
import { type ProposeBackResult, proposeBack } from '../../../crdt/propose-back.ts'
import { readStoredUpdates } from '../storage/draft-storage.ts'
import { confirmDialog, promptDialog } from './dialog.ts'
import { showToast } from './toast.ts'
import type { AppContext } from './session.ts'

/** A chapter draft of `id`: its whole history, a new id, key and roster (its creator founds it), and the fork point to propose back from. */
export const startChapter = async (ctx: AppContext, id: string): Promise<void> => {
  const parentTitle = ctx.entry(id)?.title || UNTITLED
  const chapter = await promptDialog({
    title: 'Start a chapter draft',
    label: 'Chapter (for example “Riverside chapter”)',
    value: '',
    confirm: 'Start chapter draft',
    validate: (v) => (v.trim() === '' ? 'Name the chapter whose draft this is.' : null),
  })
  if (chapter === null) return
  const parent = createDraftDoc()
  const load = applyStoredUpdates(parent, await readStoredUpdates(id), ORIGIN.copy)
  if (!load.ok) {
    showToast({ kind: 'error', message: `A chapter draft cannot be made from this draft: ${load.reason}.` })
    return
  }
  const title = `${readTitle(parent) || parentTitle} — ${chapter.trim()}`
  const fork = startChapterDraft(parent, {
    parentId: id, parentTitle: readTitle(parent) || parentTitle, chapter: chapter.trim(), title, now: Date.now(),
  })
  parent.destroy()
  await ctx.addDraft(fork, title)
  showToast({ message: `Started “${title}”. Edit freely; “Propose back…” sends the changes to “${parentTitle}” as amendments.` })
}

/** Send the open chapter draft's changes since its fork point to its parent as amendments. */
export const proposeBackToParent = async (ctx: AppContext): Promise<void> => {
  const s = ctx.session()
  const point = s ? readForkPoint(s.doc) : null
  if (!s || !point) return
  const parentEntry = ctx.entry(point.parentId)
  if (!parentEntry) {
    showToast({ kind: 'error', message: `“${point.parentTitle || 'The parent draft'}” is not on this device. Join it with its invite link first, then propose back.` })
    return
  }
  const parentTitle = parentEntry.title || UNTITLED
  const chapter = readMeta(s.doc).chapter || 'Chapter'
  const ok = await confirmDialog({
    title: `Propose back to “${parentTitle}”?`,
    message: point.proposedBack
      ? `What this chapter changed since it last proposed back (${new Date(point.proposedBack).toLocaleDateString()}) goes to “${parentTitle}”: into the chapter’s amendments there that are still open, and as new amendments for the rest. What the committee has decided is not proposed again.`
      : `Every change this chapter made since ${new Date(point.at).toLocaleDateString()} becomes an amendment on “${parentTitle}”, one per changed section, for its committee to decide.`,
    confirm: 'Propose back',
  })
  if (!ok || ctx.session() !== s) return
  let result: ProposeBackResult | null = null
  try {
    await ctx.withLedger(parentEntry.id, (parent) => {
      result = proposeBack(s.doc, parent, { author: ctx.author(), now: Date.now(), chapter, forkTitle: readTitle(s.doc), chapterId: s.id, identity: ctx.identity() })
    })
  } catch (err) {
    showToast({ kind: 'error', message: err instanceof Error ? err.message : String(err) })
    return
  }
  const done = result as ProposeBackResult | null
  if (!done) return
  const count = done.amendments.length
  const updated = done.updated.length
  if (done.unplaced > 0) showToast({ kind: 'error', message: `${done.unplaced} characters the chapter wrote are in text the parent has since deleted, so they could not be proposed.` })
  const parts = [
    count > 0 ? `proposed ${count} new ${count === 1 ? 'amendment' : 'amendments'}` : '',
    updated > 0 ? `updated ${updated} open ${updated === 1 ? 'amendment' : 'amendments'}` : '',
    done.withdrawn.length > 0 ? `withdrew ${done.withdrawn.length} ${done.withdrawn.length === 1 ? 'duplicate' : 'duplicates'} (proposed from two devices at once)` : '',
  ].filter(Boolean)
  if (parts.length === 0) {
    showToast({ message: 'Nothing changed since this chapter last proposed back.' })
    return
  }
  const what = `${parts.join(', ').replace(/^./, (c) => c.toUpperCase())} on “${parentTitle}”`
  const open = { label: 'Open it', run: () => void ctx.open(parentEntry.id) }
  // The parent's committee must see them now, not when this member next opens the parent.
  const sending = showToast({ message: `${what}. Sending to its relays…`, duration: 0 })
  const delivered = await ctx.deliver(parentEntry.id)
  sending.dismiss()
  if (delivered === 'delivered') showToast({ message: `${what}: its relays have them, so its committee sees them now.`, action: open, duration: 10_000 })
  else if (delivered === 'local') showToast({ kind: 'error', message: `${what}, but that draft is only on this device: share it through a relay (Share) for its committee to see them.`, action: open })
  else showToast({ kind: 'error', message: `${what}, kept on this device: none of its relays could be reached. They are sent when “${parentTitle}” next syncs (open it to send them).`, action: open })
}
