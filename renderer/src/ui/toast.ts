import { h } from './h.ts'

/** Short notices at the bottom of the window, optionally with one action (Undo). */
export interface ToastOptions {
  message: string
  action?: { label: string; run: () => void }
  /** How long it stays, in ms; errors stay until dismissed (0). */
  duration?: number
  kind?: 'info' | 'error'
}

let region: HTMLElement | null = null

const toastRegion = (): HTMLElement => {
  if (!region) {
    region = h('div', { class: 'pk-toasts', role: 'status', 'aria-live': 'polite' })
    document.body.append(region)
  }
  return region
}

export const showToast = (opts: ToastOptions): { dismiss: () => void } => {
  const dismiss = () => toast.remove()
  const toast = h('div', { class: `pk-toast pk-toast-${opts.kind ?? 'info'}` },
    h('span', {}, opts.message),
    opts.action && h('button', { class: 'pk-link-button', onclick: () => { dismiss(); opts.action!.run() } }, opts.action.label),
    h('button', { class: 'pk-icon-button', 'aria-label': 'Dismiss', onclick: dismiss }, '×'),
  )
  toastRegion().append(toast)
  const duration = opts.duration ?? (opts.kind === 'error' ? 0 : 5000)
  if (duration > 0) setTimeout(dismiss, duration)
  return { dismiss }
}
