/**
 * Why the relay closed a connection. The codes live in crdt/wire-protocol.ts, which
 * Plank's client imports too, so both sides agree on which closes are final (44xx)
 * and which a client reconnects after; read its header before adding one.
 */
export { CLOSE, isFinalClose, type CloseReason } from '../../crdt/wire-protocol.ts'
