import { h } from './h.ts'
import { colorStyle } from './color-style.ts'
import { openModal } from './dialog.ts'
import { PROFILE_COLORS, type Profile } from '../sync/profile.ts'

/** Set the name and colour others see next to your cursor. */
export const profileDialog = (current: Profile): Promise<Profile | null> =>
  new Promise((resolve) => {
    let color = current.color
    const name = h('input', { class: 'pk-input', type: 'text', value: current.name, maxlength: 60, 'aria-label': 'Your name', placeholder: 'e.g. Amina from Leeds' })
    const swatches = h('div', { class: 'pk-swatches', role: 'radiogroup', 'aria-label': 'Your colour' },
      ...PROFILE_COLORS.map((c) => {
        const b = h('button', { type: 'button', role: 'radio', 'aria-checked': String(c === color), 'aria-label': c, class: 'pk-swatch', style: colorStyle('background', c) })
        b.addEventListener('click', () => {
          color = c
          swatches.querySelectorAll('.pk-swatch').forEach((s) => s.setAttribute('aria-checked', String(s === b)))
        })
        return b
      }))
    const finish = (value: Profile | null) => { dialog.close(); dialog.remove(); resolve(value) }
    const dialog = h('dialog', { class: 'pk-dialog', 'aria-label': 'How others see you' },
      h('form', { method: 'dialog', onsubmit: (e: Event) => { e.preventDefault(); finish({ ...current, name: name.value.trim().slice(0, 60), color }) } },
        h('h2', {}, 'How others see you'),
        h('label', {}, h('span', {}, 'Name'), name),
        h('p', { class: 'pk-muted' }, 'Colour of your cursor and highlights'),
        swatches,
        h('div', { class: 'pk-dialog-actions' },
          h('button', { type: 'button', class: 'pk-button', onclick: () => finish(null) }, 'Cancel'),
          h('button', { type: 'submit', class: 'pk-button pk-primary' }, 'Save')),
      ))
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(null) })
    openModal(dialog, name)
  })
