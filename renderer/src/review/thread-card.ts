import { h } from '../ui/h.ts'
import { colorStyle } from '../ui/color-style.ts'
import { relativeTime } from '../ui/drafts-list.ts'
import type { CommentEntry, Thread } from '../../../crdt/comments.ts'
import type { Author } from '../../../crdt/author.ts'
import type { ReviewActions } from './review-model.ts'

/**
 * One comment thread: the quoted words, the opening comment and replies, and what the
 * member may do (reply, edit or delete their own, resolve or reopen).
 * Composer textareas carry a `data-draft` key so the panel can keep what is being
 * typed across re-renders.
 */
export interface CardContext {
  me: Author
  canEdit: boolean
  actions: ReviewActions
  /** Key of the entry being edited in place (`threadId/replyId`), if any. */
  editing: string | null
  setEditing: (key: string | null) => void
}

export const entryKey = (threadId: string, replyId: string | null) => `${threadId}/${replyId ?? ''}`

const byline = (entry: CommentEntry) =>
  h('div', { class: 'pk-byline' },
    h('span', { class: 'pk-dot', style: colorStyle('background', entry.author.color), 'aria-hidden': 'true' }),
    h('strong', {}, entry.author.name),
    h('span', { class: 'pk-muted', title: new Date(entry.created).toLocaleString() }, relativeTime(entry.created)),
    entry.edited !== null ? h('span', { class: 'pk-muted' }, '(edited)') : null,
  )

/** A textarea and a submit button; Ctrl/⌘+Enter submits, Esc cancels (when there is something to cancel). */
export const composer = (key: string, label: string, submitLabel: string, submit: (body: string) => boolean, extra?: HTMLElement, cancel?: () => void): HTMLElement => {
  const input = h('textarea', { class: 'pk-input pk-textarea pk-composer-input', rows: 2, 'aria-label': label, placeholder: label, 'data-draft': key })
  const send = () => {
    if (input.value.trim() === '') return
    if (!submit(input.value)) return
    // Posted: the text is done with.
    input.value = ''
    input.dispatchEvent(new Event('input', { bubbles: true }))
  }
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) { e.preventDefault(); send() }
    if (e.key === 'Escape' && cancel) {
      e.preventDefault()
      e.stopPropagation()
      input.value = ''
      input.dispatchEvent(new Event('input', { bubbles: true }))
      cancel()
    }
  })
  return h('div', { class: 'pk-composer' }, input,
    h('div', { class: 'pk-composer-actions' }, extra ?? null, h('button', { type: 'button', class: 'pk-button pk-primary pk-small', onclick: send }, submitLabel)))
}

const entryView = (thread: Thread, entry: CommentEntry, replyId: string | null, ctx: CardContext): HTMLElement => {
  const key = entryKey(thread.id, replyId)
  const own = entry.author.id === ctx.me.id && ctx.canEdit && !entry.deleted
  if (ctx.editing === key) {
    return h('div', { class: 'pk-comment' }, byline(entry),
      composer(`edit:${key}`, 'Edit your comment', 'Save', (body) => { const saved = ctx.actions.edit(thread.id, replyId, body); if (saved) ctx.setEditing(null); return saved },
        h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => ctx.setEditing(null) }, 'Cancel'), () => ctx.setEditing(null)))
  }
  return h('div', { class: 'pk-comment' },
    byline(entry),
    entry.deleted
      ? h('p', { class: 'pk-comment-body pk-muted' }, 'Comment deleted by its author.')
      : h('p', { class: 'pk-comment-body' }, entry.body),
    own ? h('div', { class: 'pk-comment-tools' },
      h('button', { type: 'button', class: 'pk-link-button', onclick: () => ctx.setEditing(key) }, 'Edit'),
      h('button', { type: 'button', class: 'pk-link-button', onclick: () => ctx.actions.remove(thread.id, replyId) }, 'Delete'),
    ) : null,
  )
}

/** The replies and reply box, shared by comment threads and amendment discussions. */
export const conversation = (thread: Thread, ctx: CardContext, replyLabel = 'Reply'): HTMLElement[] => [
  ...thread.replies.map((r) => entryView(thread, r, r.id, ctx)),
  ...(ctx.canEdit ? [composer(`reply:${thread.id}`, `${replyLabel}…`, replyLabel, (body) => ctx.actions.reply(thread.id, body))] : []),
]

export const threadCard = (thread: Thread, orphaned: boolean, active: boolean, ctx: CardContext): HTMLElement => {
  const card = h('article', {
    class: `pk-card pk-thread${active ? ' pk-card-active' : ''}${thread.resolved ? ' pk-resolved' : ''}`,
    'data-thread': thread.id,
    'aria-label': `Comment by ${thread.author.name}`,
  },
    orphaned
      ? h('p', { class: 'pk-orphan', role: 'note' }, 'The words this comment was on have been deleted: ', h('q', {}, thread.quote))
      : h('button', { type: 'button', class: 'pk-quote', title: 'Show in the text', onclick: () => ctx.actions.activate(thread.id) }, thread.quote),
    entryView(thread, thread, null, ctx),
  )
  if (thread.resolved) {
    card.append(h('p', { class: 'pk-muted pk-small-text' }, `Resolved by ${thread.resolvedBy?.name ?? 'a member'}.`))
  }
  if (active || thread.replies.length > 0) card.append(...conversation(thread, ctx))
  if (ctx.canEdit) {
    card.append(h('div', { class: 'pk-card-actions' },
      h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => ctx.actions.resolve(thread.id, !thread.resolved) }, thread.resolved ? 'Reopen' : 'Resolve'),
      !active && thread.replies.length === 0 ? h('button', { type: 'button', class: 'pk-button pk-small', onclick: () => ctx.actions.replyTo(thread.id) }, 'Reply') : null,
    ))
  }
  return card
}
