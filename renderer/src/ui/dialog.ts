import { h, type Child } from './h.ts'

/**
 * Modal dialogs built on <dialog> (window.prompt and confirm do not exist in a
 * sandboxed Electron renderer, and they block everything else).
 *
 * Every dialog opens through `openModal`: it focuses a safe first control (never a
 * destructive or privacy-reducing choice, so Enter cannot take one), and when it
 * closes, focus goes back to where the member was (or, if that is gone, to the text)
 * instead of falling to the page.
 */
export const openModal = (dialog: HTMLDialogElement, initial?: HTMLElement | null): void => {
  const active = document.activeElement
  const previous = active instanceof HTMLElement && active !== document.body ? active : null
  dialog.addEventListener('close', () => {
    // Only when focus fell to the page: an action may have moved it on purpose.
    const now = document.activeElement
    if (now && now !== document.body && now !== dialog && !dialog.contains(now)) return
    const visible = previous?.isConnected && !previous.closest('dialog:not([open])') && previous.checkVisibility()
    const target = visible ? previous : document.querySelector<HTMLElement>('.pk-editor')
    target?.focus({ preventScroll: true })
  }, { once: true })
  if (!dialog.isConnected) document.body.append(dialog)
  dialog.showModal()
  initial?.focus()
}
export interface PromptOptions {
  title: string
  label: string
  value?: string
  confirm: string
  /** Returns an error to show under the field, or null when the value is acceptable. */
  validate?: (value: string) => string | null
}

export const promptDialog = async (opts: PromptOptions): Promise<string | null> => {
  const values = await formDialog({
    title: opts.title,
    confirm: opts.confirm,
    fields: [{ name: 'value', label: opts.label, value: opts.value }],
    validate: opts.validate ? (v) => opts.validate!(v.value ?? '') : undefined,
  })
  return values === null ? null : (values.value ?? '')
}

export interface FormField {
  name: string
  label: string
  value?: string
  /** A textarea instead of a one-line input. */
  multiline?: boolean
  placeholder?: string
  /** A secret (a passphrase): typed characters are hidden. */
  secret?: boolean
}

/** A small form in a modal: resolves to the values by field name, or null when cancelled. */
export const formDialog = (opts: {
  title: string
  intro?: string
  fields: FormField[]
  confirm: string
  validate?: (values: Record<string, string>) => string | null
}): Promise<Record<string, string> | null> =>
  new Promise((resolve) => {
    const inputs = opts.fields.map((f) => f.multiline
      ? h('textarea', { class: 'pk-input pk-textarea', name: f.name, rows: 4, 'aria-label': f.label, placeholder: f.placeholder })
      : h('input', { type: f.secret ? 'password' : 'text', class: 'pk-input', name: f.name, 'aria-label': f.label, placeholder: f.placeholder, autocomplete: f.secret ? 'new-password' : undefined }))
    inputs.forEach((input, i) => { input.value = opts.fields[i]!.value ?? '' })
    const error = h('p', { class: 'pk-dialog-error', role: 'alert' })
    const values = () => Object.fromEntries(inputs.map((input) => [input.name, input.value]))
    const dialog = h('dialog', { class: 'pk-dialog', 'aria-label': opts.title },
      h('form', { method: 'dialog' },
        h('h2', {}, opts.title),
        opts.intro ? h('p', { class: 'pk-dialog-intro' }, opts.intro) : null,
        ...inputs.map((input, i) => h('label', {}, h('span', {}, opts.fields[i]!.label), input)),
        error,
        h('div', { class: 'pk-dialog-actions' },
          h('button', { type: 'button', class: 'pk-button', value: 'cancel', onclick: () => finish(null) }, 'Cancel'),
          h('button', { type: 'submit', class: 'pk-button pk-primary', value: 'ok' }, opts.confirm),
        ),
      ),
    )
    const finish = (result: Record<string, string> | null) => {
      dialog.close()
      dialog.remove()
      resolve(result)
    }
    dialog.querySelector('form')!.addEventListener('submit', (event) => {
      event.preventDefault()
      const problem = opts.validate?.(values()) ?? null
      if (problem) {
        error.textContent = problem
        inputs[0]?.focus()
        return
      }
      finish(values())
    })
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault()
      finish(null)
    })
    openModal(dialog, inputs[0])
    inputs[0]?.select()
  })

/**
 * Ask before doing something; Cancel has the focus, so Enter never confirms by accident.
 * The message is a sentence, or the dialog's own blocks (paragraphs, a list).
 */
export const confirmDialog = (opts: { title: string; message: string | Child[]; confirm: string; danger?: boolean; cancel?: string; class?: string }): Promise<boolean> =>
  new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'pk-button', onclick: () => finish(false) }, opts.cancel ?? 'Cancel')
    const dialog = h('dialog', { class: opts.class ? `pk-dialog ${opts.class}` : 'pk-dialog', 'aria-label': opts.title },
      h('h2', {}, opts.title),
      ...(typeof opts.message === 'string' ? [h('p', {}, opts.message)] : opts.message),
      h('div', { class: 'pk-dialog-actions' },
        cancel,
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
    openModal(dialog, cancel)
  })

/** Pick one of a few options; resolves to its value, or null when cancelled. */
export const choiceDialog = <T extends string>(opts: { title: string; message: string; choices: Array<{ label: string; value: T }> }): Promise<T | null> =>
  new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'pk-button', onclick: () => finish(null) }, 'Cancel')
    const dialog = h('dialog', { class: 'pk-dialog', 'aria-label': opts.title },
      h('h2', {}, opts.title),
      h('p', {}, opts.message),
      h('div', { class: 'pk-dialog-actions' },
        cancel,
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
    openModal(dialog, cancel)
  })
