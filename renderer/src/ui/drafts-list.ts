import type { DraftEntry } from '../workspace/workspace.ts'
import { h, icon } from './h.ts'
import { UNTITLED } from '../../../crdt/title.ts'

export interface DraftsListActions {
  open(id: string): void
  rename(id: string): void
  duplicate(id: string): void
  startChapter(id: string): void
  remove(id: string): void
}

export const relativeTime = (then: number, now = Date.now()): string => {
  const s = Math.round((now - then) / 1000)
  if (s < 45) return 'just now'
  const m = Math.round(s / 60)
  if (m < 60) return `${m} min ago`
  const hr = Math.round(m / 60)
  if (hr < 24) return `${hr} h ago`
  return new Date(then).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })
}

/** The drafts on this device, with a per-draft menu (rename, duplicate, delete). */
export const renderDraftsList = (entries: DraftEntry[], currentId: string | null, actions: DraftsListActions): HTMLElement => {
  if (entries.length === 0) return h('p', { class: 'pk-muted pk-pad' }, 'No drafts yet.')
  return h('ul', { class: 'pk-drafts', 'aria-label': 'Drafts on this device' },
    ...entries.map((entry) => {
      const current = entry.id === currentId
      const menu = h('div', { class: 'pk-menu', role: 'menu', hidden: true },
        h('button', { role: 'menuitem', onclick: () => actions.rename(entry.id) }, 'Rename…'),
        h('button', { role: 'menuitem', onclick: () => actions.duplicate(entry.id) }, 'Duplicate'),
        h('button', { role: 'menuitem', onclick: () => actions.startChapter(entry.id), title: 'A copy for a chapter to work on, whose changes can be proposed back' }, 'Start a chapter draft…'),
        h('button', { role: 'menuitem', class: 'pk-danger-text', onclick: () => actions.remove(entry.id) }, 'Delete'),
      )
      const toggle = h('button', {
        class: 'pk-icon-button pk-draft-more', 'aria-label': `More actions for ${entry.title || UNTITLED}`, 'aria-haspopup': 'menu',
        onclick: (e: Event) => {
          e.stopPropagation()
          const open = menu.hidden
          document.querySelectorAll<HTMLElement>('.pk-menu').forEach((m) => { m.hidden = true })
          menu.hidden = !open
          if (open) document.addEventListener('click', () => { menu.hidden = true }, { once: true })
        },
      }, icon('more'))
      return h('li', { class: `pk-draft${current ? ' pk-current' : ''}`, 'data-draft-id': entry.id },
        h('button', { class: 'pk-draft-open', 'aria-current': current ? 'page' : undefined, onclick: () => actions.open(entry.id) },
          h('span', { class: 'pk-draft-title' }, entry.title || UNTITLED),
          h('span', { class: 'pk-draft-time' }, `Edited ${relativeTime(entry.updated)}`),
        ),
        toggle,
        menu,
      )
    }),
  )
}
