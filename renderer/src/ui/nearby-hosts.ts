import { h } from './h.ts'
import type { NearbyHost } from '../../../crdt/contracts/host-api.ts'
import { safeName } from '../../../crdt/author.ts'
import { UNTITLED } from '../../../crdt/title.ts'

/**
 * "Hosts near you": drafts other members' apps host on this network, to join in one
 * click. Whose laptop and which draft are what a machine on the network announced, so
 * they are shown as plain, short names (safeName).
 */
export const renderNearbyHosts = (hosts: NearbyHost[], join: (host: NearbyHost) => void): HTMLElement | null => {
  if (hosts.length === 0) return null
  return h('section', { class: 'pk-nearby', 'aria-label': 'Hosts near you' },
    h('h2', { class: 'pk-sidebar-heading' }, 'Hosts near you'),
    h('ul', { class: 'pk-nearby-list' }, ...hosts.map((host) => {
      const title = safeName(host.title, UNTITLED, 80)
      const member = safeName(host.member, 'A member')
      return h('li', { class: 'pk-nearby-host' },
        h('span', { class: 'pk-nearby-text' }, h('strong', { dir: 'auto' }, title), h('span', { class: 'pk-muted', dir: 'auto' }, `${member}’s laptop`)),
        h('button', { class: 'pk-button pk-small', onclick: () => join(host), title: `Join “${title}” hosted by ${member}` }, 'Join'))
    })))
}
