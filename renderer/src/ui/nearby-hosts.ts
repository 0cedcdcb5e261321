import { h } from './h.ts'
import type { NearbyHost } from '../platform.ts'

/** "Hosts near you": drafts other members' apps host on this network, to join in one click. */
export const renderNearbyHosts = (hosts: NearbyHost[], join: (host: NearbyHost) => void): HTMLElement | null => {
  if (hosts.length === 0) return null
  return h('section', { class: 'pk-nearby', 'aria-label': 'Hosts near you' },
    h('h2', { class: 'pk-sidebar-heading' }, 'Hosts near you'),
    h('ul', { class: 'pk-nearby-list' }, ...hosts.map((host) => h('li', { class: 'pk-nearby-host' },
      h('span', { class: 'pk-nearby-text' }, h('strong', {}, host.title), h('span', { class: 'pk-muted' }, `${host.member}’s laptop`)),
      h('button', { class: 'pk-button pk-small', onclick: () => join(host), title: `Join “${host.title}” hosted by ${host.member}` }, 'Join')))))
}
