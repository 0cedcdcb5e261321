import { h } from './h.ts'

/**
 * Modal dialogs built on <dialog> (window.prompt and confirm do not exist in a
 * sandboxed Electron renderer, and they block everything else).
 */
export interface PromptOptions {
  title: string
  label: string
  value?: string
  confirm: string
  /** Returns an error to show under the field, or null when the value is acceptable. */
  validate?: (value: string) => string | null
}

export const promptDialog = (opts: PromptOptions): Promise<string | null> =>
  new Promise((resolve) => {
    const input = h('input', { type: 'text', class: 'pk-input', value: opts.value ?? '', 'aria-label': opts.label })
    const error = h('p', { class: 'pk-dialog-error', role: 'alert' })
    const dialog = h('dialog', { class: 'pk-dialog' },
      h('form', { method: 'dialog' },
        h('h2', {}, opts.title),
        h('label', {}, h('span', {}, opts.label), input),
        error,
        h('div', { class: 'pk-dialog-actions' },
          h('button', { type: 'button', class: 'pk-button', value: 'cancel', onclick: () => finish(null) }, 'Cancel'),
          h('button', { type: 'submit', class: 'pk-button pk-primary', value: 'ok' }, opts.confirm),
        ),
      ),
    )
    const finish = (value: string | null) => {
      dialog.close()
      dialog.remove()
      resolve(value)
    }
    dialog.querySelector('form')!.addEventListener('submit', (event) => {
      event.preventDefault()
      const problem = opts.validate?.(input.value) ?? null
      if (problem) {
        error.textContent = problem
        input.focus()
        return
      }
      finish(input.value)
    })
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      finish(null)
    })
    document.body.append(dialog)
    dialog.showModal()
    input.select()
  })

export const confirmDialog = (opts: { title: string; message: string; confirm: string; danger?: boolean }): Promise<boolean> =>
  new Promise((resolve) => {
    const dialog = h('dialog', { class: 'pk-dialog' },
      h('h2', {}, opts.title),
      h('p', {}, opts.message),
      h('div', { class: 'pk-dialog-actions' },
        h('button', { type: 'button', class: 'pk-button', onclick: () => finish(false) }, 'Cancel'),
        h('button', { type: 'button', class: `pk-button ${opts.danger ? 'pk-danger' : 'pk-primary'}`, onclick: () => finish(true) }, opts.confirm),
      ),
    )
    const finish = (ok: boolean) => {
      dialog.close()
      dialog.remove()
      resolve(ok)
    }
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      finish(false)
    })
    document.body.append(dialog)
    dialog.showModal()
  })

/** Pick one of a few options; resolves to its value, or null when cancelled. */
export const choiceDialog = <T extends string>(opts: { title: string; message: string; choices: Array<{ label: string; value: T }> }): Promise<T | null> =>
  new Promise((resolve) => {
    const dialog = h('dialog', { class: 'pk-dialog' },
      h('h2', {}, opts.title),
      h('p', {}, opts.message),
      h('div', { class: 'pk-dialog-actions' },
        h('button', { type: 'button', class: 'pk-button', onclick: () => finish(null) }, 'Cancel'),
        ...opts.choices.map((c, i) => h('button', { type: 'button', class: `pk-button${i === 0 ? ' pk-primary' : ''}`, onclick: () => finish(c.value) }, c.label)),
      ),
    )
    const finish = (value: T | null) => {
      dialog.close()
      dialog.remove()
      resolve(value)
    }
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      finish(null)
    })
    document.body.append(dialog)
    dialog.showModal()
  })
