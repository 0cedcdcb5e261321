import type { Awareness } from 'y-protocols/awareness'
import { h } from './h.ts'
import { colorStyle } from './color-style.ts'
import { initials } from '../sync/profile.ts'
import { type Peer, readPeer } from '../sync/presence.ts'

/** Who else is in the draft right now, from awareness (names and colours only, read by readPeer). */
export const peersOf = (awareness: Awareness): Peer[] => {
  const peers: Peer[] = []
  awareness.getStates().forEach((state, clientId) => {
    if (clientId === awareness.clientID) return
    const peer = readPeer(state, clientId)
    if (peer) peers.push(peer)
  })
  return peers.sort((a, b) => a.name.localeCompare(b.name))
}

export const renderPresence = (peers: Peer[], me: { name: string; color: string }, onEditMe: () => void): HTMLElement =>
  h('div', { class: 'pk-presence', 'aria-label': 'People in this draft' },
    ...peers.slice(0, 6).map((p) =>
      h('span', { class: 'pk-avatar', title: `${p.name} is here`, style: colorStyle('background', p.color), 'data-name': p.name }, initials(p.name))),
    peers.length > 6 ? h('span', { class: 'pk-avatar pk-avatar-more', title: peers.slice(6).map((p) => p.name).join(', ') }, `+${peers.length - 6}`) : null,
    h('button', { class: 'pk-avatar pk-avatar-me', title: `You: ${me.name}. Change your name and colour`, 'aria-label': 'Your name and colour', style: colorStyle('background', me.color), onclick: onEditMe }, initials(me.name)),
  )
