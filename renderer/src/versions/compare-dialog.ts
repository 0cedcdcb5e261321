import type { Version } from '../../../crdt/index.ts'
import { h } from '../ui/h.ts'
import { openModal } from '../ui/dialog.ts'

/** Pick the other version to compare `version` with; resolves to it, or null. */
export const pickVersionToCompare = (version: Version, all: Version[]): Promise<Version | null> =>
  new Promise((resolve) => {
    const others = all.filter((v) => v.id !== version.id).reverse()
    const select = h('select', { class: 'pk-input', 'aria-label': 'Other version' },
      ...others.map((v) => h('option', { value: v.id }, `${v.name} — ${new Date(v.created).toLocaleString()}`)))
    const finish = (value: Version | null) => { dialog.close(); dialog.remove(); resolve(value) }
    const dialog = h('dialog', { class: 'pk-dialog', 'aria-label': 'Compare two versions' },
      h('form', { onsubmit: (e: Event) => { e.preventDefault(); finish(others.find((v) => v.id === select.value) ?? null) } },
        h('h2', {}, `Compare “${version.name}” with…`),
        h('p', { class: 'pk-muted' }, 'The older of the two is the starting point: what changed from it to the newer one is shown, word by word, with who changed it.'),
        h('label', {}, h('span', {}, 'Version'), select),
        h('div', { class: 'pk-dialog-actions' },
          h('button', { type: 'button', class: 'pk-button', onclick: () => finish(null) }, 'Cancel'),
          h('button', { type: 'submit', class: 'pk-button pk-primary' }, 'Compare'))))
    dialog.addEventListener('cancel', (e) => { e.preventDefault(); finish(null) })
    openModal(dialog, select)
  })
