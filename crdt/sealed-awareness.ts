import type * as Y from 'yjs'
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness'
import { BLOB, type RoomKey, open, seal } from './envelope.ts'
import { fromBase64, toBase64 } from './base64.ts'

/**
 * Presence in a private room, sealed like the text. The relay carries a *wire*
 * awareness whose states are only `{ sealed }` ciphertext; this member's real
 * awareness (names, colours, cursors) is sealed into it, and every peer's wire state
 * is opened back into the real awareness, which the editor and presence bar read.
 */
const UNSEAL = 'unseal'

export class SealedAwareness {
  readonly wire: Awareness
  /** Per client, the latest wire update being opened: an older one finishing later is ignored. */
  private readonly latest = new Map<number, number>()
  private sealing = 0

  constructor(
    private readonly real: Awareness,
    envelope: Y.Doc,
    private readonly draftId: string,
    private readonly keys: () => RoomKey[],
  ) {
    this.wire = new Awareness(envelope)
    this.wire.setLocalState(null)
    real.on('update', this.onReal)
    // 'update', not 'change': unchanged renewals must refresh the real state, or it times out.
    this.wire.on('update', this.onWire)
    if (real.getLocalState() !== null) this.onReal({ added: [], updated: [real.clientID], removed: [] }, 'local')
  }

  private readonly onReal = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === UNSEAL || ![...added, ...updated, ...removed].includes(this.real.clientID)) return
    const state = this.real.getLocalState()
    const ticket = ++this.sealing
    if (state === null) { this.wire.setLocalState(null); return }
    void seal(this.keys()[0]!, this.draftId, BLOB.awareness, new TextEncoder().encode(JSON.stringify(state))).then((blob) => {
      if (ticket === this.sealing) this.wire.setLocalState({ sealed: toBase64(blob) })
    })
  }

  private readonly onWire = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown): void => {
    if (origin === 'local') return
    for (const client of removed) {
      this.latest.delete(client)
      applyAwarenessUpdate(this.real, encodeAwarenessUpdate(this.wire, [client], new Map()), UNSEAL)
    }
    for (const client of [...added, ...updated]) {
      if (client === this.wire.clientID) continue
      const sealed = (this.wire.getStates().get(client) as { sealed?: unknown } | undefined)?.sealed
      if (typeof sealed !== 'string') continue
      const ticket = (this.latest.get(client) ?? 0) + 1
      this.latest.set(client, ticket)
      const blob = fromBase64(sealed)
      if (!blob) continue
      void open(this.keys(), this.draftId, blob).then((opened) => {
        if (!opened.ok || opened.kind !== BLOB.awareness || this.latest.get(client) !== ticket) return
        let state: unknown
        try { state = JSON.parse(new TextDecoder().decode(opened.payload)) } catch { return }
        if (typeof state !== 'object' || state === null) return
        applyAwarenessUpdate(this.real, encodeAwarenessUpdate(this.wire, [client], new Map([[client, state as Record<string, unknown>]])), UNSEAL)
      })
    }
  }

  destroy(): void {
    this.real.off('update', this.onReal)
    this.wire.off('update', this.onWire)
    this.wire.destroy()
  }
}
