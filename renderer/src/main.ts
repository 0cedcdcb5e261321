import './styles.css'
import { App } from './ui/app.ts'
import { Workspace } from './workspace/workspace.ts'
import { probeStorage, requestPersistentStorage } from './storage/storage-health.ts'
import { showToast } from './ui/toast.ts'
import { h } from './ui/h.ts'
import { looksLikeInvite } from './sync/invite.ts'
import { host } from './platform.ts'

const root = document.getElementById('app')!

const fatal = (message: string) => {
  root.replaceChildren(h('section', { class: 'pk-fatal', role: 'alert' },
    h('h1', {}, 'Plank cannot open your drafts'),
    h('p', {}, message),
  ))
  root.removeAttribute('aria-busy')
}

const boot = async () => {
  const problem = await probeStorage()
  if (problem) return fatal(problem)
  const workspace = await Workspace.open()
  const app = new App(root, workspace)
  await app.start()
  // Opened from an invite link (now, or later in this same tab): join, then drop the
  // link from the address bar. A link for a draft already here asks before changing it.
  const joinFromAddress = async () => {
    const link = window.location.hash
    if (!looksLikeInvite(link)) return
    history.replaceState(null, '', window.location.pathname + window.location.search)
    await app.openInviteLink(link, 'address')
  }
  await joinFromAddress()
  window.addEventListener('hashchange', () => void joinFromAddress())
  // The desktop app opened with plank:// links: one question at a time, in the order they came.
  let links = Promise.resolve()
  host.onInviteLink((delivery) => {
    links = links.then(() => ('link' in delivery
      ? app.openInviteLink(delivery.link, 'system')
      : void showToast({ kind: 'error', message: `A plank:// link could not be opened: ${delivery.refused}.` })))
      .catch((err: unknown) => void showToast({ kind: 'error', message: `The invite link could not be opened: ${err instanceof Error ? err.message : String(err)}` }))
  })
  root.removeAttribute('aria-busy')
  root.dataset.ready = 'true'
  // Launch-to-editable, read by the cold-start benchmark (bench/cold-start.ts).
  performance.mark('plank-ready')
  // Said once per device: a browser that refuses persistence may evict drafts under pressure.
  if (!(await requestPersistentStorage()) && !(await workspace.getSetting<boolean>('evictionNoticeShown'))) {
    await workspace.setSetting('evictionNoticeShown', true)
    showToast({ message: 'This browser may clear Plank’s drafts when disk space runs low. The desktop app keeps them safe.', duration: 8000 })
  }
}

boot().catch((err: unknown) => fatal(err instanceof Error ? err.message : String(err)))
