import { h } from './h.ts'
import type { NearbyHost } from '../../../crdt/contracts/host-api.ts'
import { safeName } from '../../../crdt/author.ts'
import { UNTITLED } from '../../../crdt/title.ts'

/** A host as listed: what to call it, and whose it is, as far as this device can tell. */
export interface ShownHost {
  host: NearbyHost
  title: string
  by: string
  /** False for a private draft this device cannot recognise (the announcement names nothing). */
  named: boolean
}

/**
 * "Hosts near you": drafts other members' apps host on this network. An open draft's
 * title and member are what a machine on the network announced, so they are shown as
 * plain, short names (safeName); a private draft announces neither, and is named only
 * when this device holds its key (then by the title stored here).
 */
export const renderNearbyHosts = (hosts: ShownHost[], join: (host: ShownHost) => void): HTMLElement | null => {
  if (hosts.length === 0) return null
  return h('section', { class: 'pk-nearby', 'aria-label': 'Hosts near you' },
    h('h2', { class: 'pk-sidebar-heading' }, 'Hosts near you'),
    h('ul', { class: 'pk-nearby-list' }, ...hosts.map((shown) => {
      const title = safeName(shown.title, UNTITLED, 80)
      const by = safeName(shown.by, 'A laptop nearby')
      return h('li', { class: `pk-nearby-host${shown.named ? '' : ' pk-nearby-unnamed'}` },
        h('span', { class: 'pk-nearby-text' }, h('strong', { dir: 'auto' }, title), h('span', { class: 'pk-muted', dir: 'auto' }, by)),
        h('button', { class: 'pk-button pk-small', onclick: () => join(shown), title: `Join “${title}” with the invite its host shows` }, 'Join'))
    })))
}
