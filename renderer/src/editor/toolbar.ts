import type { Command } from 'prosemirror-state'
import type { EditorView } from 'prosemirror-view'
import { undoCommand as undo, redoCommand as redo } from 'y-prosemirror'
import { h, icon } from '../ui/h.ts'
import { promptDialog } from '../ui/dialog.ts'
import { schema } from './schema.ts'
import { safeHref } from './links.ts'
import { undoDepth } from './editor.ts'
import {
  type BlockStyle, applyLink, currentBlockStyle, isInside, isMarkActive, linkAt, setBlockStyle,
  toggleBlockquote, toggleEm, toggleList, toggleStrong, toggleUnderline,
} from './commands.ts'

const isMac = typeof navigator !== 'undefined' && /Mac|iP(hone|[oa]d)/.test(navigator.platform)
const mod = isMac ? '⌘' : 'Ctrl+'

interface ToolButton {
  el: HTMLButtonElement
  command: Command
  active?: (view: EditorView) => boolean
}

/**
 * The formatting toolbar. It only dispatches commands; the editor state decides what
 * is active and enabled, refreshed on every state change.
 */
export class Toolbar {
  readonly el: HTMLElement
  private readonly styleSelect: HTMLSelectElement
  private readonly buttons: ToolButton[] = []
  private readonly undoButton: HTMLButtonElement
  private readonly redoButton: HTMLButtonElement
  private readonly linkButton: HTMLButtonElement
  private view: EditorView | null = null

  constructor() {
    this.styleSelect = h('select', { class: 'pk-style-select', 'aria-label': 'Text style', title: 'Text style' },
      h('option', { value: 'paragraph' }, 'Paragraph'),
      h('option', { value: 'plank' }, 'Plank heading'),
      h('option', { value: 'subsection' }, 'Subsection'),
      h('option', { value: '', disabled: true, hidden: true }, '—'),
    )
    this.styleSelect.addEventListener('change', () => {
      if (this.styleSelect.value) this.run(setBlockStyle(this.styleSelect.value as BlockStyle))
    })
    const button = (name: string, label: string, command: Command, active?: ToolButton['active']) => {
      const el = h('button', { type: 'button', class: 'pk-tool', title: label, 'aria-label': label, 'aria-pressed': active ? 'false' : undefined }, icon(name))
      el.addEventListener('mousedown', (e) => e.preventDefault()) // keep the editor's selection
      el.addEventListener('click', () => this.run(command))
      this.buttons.push({ el, command, active })
      return el
    }
    this.undoButton = button('undo', `Undo your last change (${mod}Z)`, undo)
    this.redoButton = button('redo', `Redo (${isMac ? '⇧⌘Z' : 'Ctrl+Y'})`, redo)
    this.linkButton = h('button', { type: 'button', class: 'pk-tool', title: `Link (${mod}K)`, 'aria-label': 'Link' }, icon('link'))
    this.linkButton.addEventListener('mousedown', (e) => e.preventDefault())
    this.linkButton.addEventListener('click', () => void this.editLink())
    const sep = () => h('span', { class: 'pk-tool-sep', 'aria-hidden': 'true' })
    this.el = h('div', { class: 'pk-toolbar', role: 'toolbar', 'aria-label': 'Formatting' },
      this.undoButton, this.redoButton, sep(),
      this.styleSelect, sep(),
      button('bold', `Bold (${mod}B)`, toggleStrong, (v) => isMarkActive(v.state, schema.marks.strong!)),
      button('italic', `Italic (${mod}I)`, toggleEm, (v) => isMarkActive(v.state, schema.marks.em!)),
      button('underline', `Underline (${mod}U)`, toggleUnderline, (v) => isMarkActive(v.state, schema.marks.underline!)),
      this.linkButton, sep(),
      button('bullets', 'Bulleted list', toggleList(schema.nodes.bullet_list!), (v) => isInside(v.state, schema.nodes.bullet_list!)),
      button('numbers', 'Numbered list', toggleList(schema.nodes.ordered_list!), (v) => isInside(v.state, schema.nodes.ordered_list!)),
      button('quote', 'Quote', toggleBlockquote, (v) => isInside(v.state, schema.nodes.blockquote!)),
    )
  }

  private run(command: Command): void {
    const view = this.view
    if (!view) return
    command(view.state, view.dispatch, view)
    view.focus()
  }

  /** Ask for a URL and apply it to the selection; an empty URL removes the link. */
  async editLink(): Promise<void> {
    const view = this.view
    if (!view || !view.editable) return
    const current = linkAt(view.state)
    if (view.state.selection.empty && current === null) {
      view.focus()
      return
    }
    const url = await promptDialog({
      title: current ? 'Edit link' : 'Add link',
      label: 'Web or e-mail address (leave empty to remove the link)',
      value: current ?? 'https://',
      confirm: 'Apply',
      validate: (value) => (value.trim() === '' || safeHref(value) !== null ? null : 'Only http, https and mailto links are allowed.'),
    })
    if (url !== null) applyLink(url)(view.state, view.dispatch)
    view.focus()
  }

  /** Attach to a (new) editor, or detach with null. */
  bind(view: EditorView | null): void {
    this.view = view
    this.update()
  }

  update(): void {
    const view = this.view
    const editable = view?.editable ?? false
    this.el.classList.toggle('pk-disabled', !editable)
    this.styleSelect.disabled = !editable
    this.styleSelect.value = view ? (currentBlockStyle(view.state) ?? '') : ''
    for (const b of this.buttons) {
      b.el.disabled = !editable || !view || !b.command(view.state)
      if (b.active) {
        const on = view ? b.active(view) : false
        b.el.classList.toggle('pk-active', on)
        b.el.setAttribute('aria-pressed', String(on))
      }
    }
    if (view) {
      const depth = undoDepth(view)
      this.undoButton.disabled = !editable || depth.undo === 0
      this.redoButton.disabled = !editable || depth.redo === 0
    }
    this.linkButton.disabled = !editable || !view || (view.state.selection.empty && linkAt(view.state) === null)
  }
}
