import * as Y from 'yjs'
import * as encoding from 'lib0/encoding'

/**
 * Split one Yjs update into several smaller updates that, applied in order, have
 * exactly the effect of the original — so a change of any size (a 3 MB paste, an
 * import, a long offline backlog) can travel through relays that cap message size.
 *
 * How: the update is decoded into its structs (Yjs's own lazy reader, nothing is
 * integrated), the structs are put in causal order (each after the structs it refers
 * to: its left and right origins, its parent, and its own client's earlier clocks),
 * and that sequence is cut into pieces of at most `maxBytes`. A long struct — one
 * 3 MB string, a long run of deleted text — is cut at clock boundaries, as Yjs
 * itself splits items; strings never in the middle of a surrogate pair. The delete
 * set goes last, in as many pieces as it needs.
 *
 * Because the order is causal, a peer or relay that applies the pieces in order never
 * holds a piece it cannot integrate yet (unless the original itself lacked what it
 * refers to, as a diff does). One struct that cannot be cut (a binary blob, an embed,
 * one large map value) larger than `maxBytes` comes out as a piece of its own, over
 * the limit: the caller decides what to do with it (see `oversized`).
 *
 * Only for updates made by Yjs on this device (a draft's own changes, its state
 * for a relay): never run it on bytes from a peer that nobody has validated.
 */

type Struct = Y.Item | Y.GC | Y.Skip

/** Bytes kept free in each piece for its headers (client count, per-client headers, the empty delete set). */
const HEADROOM = 64
/** Bytes a client's header may take in a piece: struct count, client id, first clock. */
const CLIENT_HEADER = 16

interface Segment {
  struct: Y.Item | Y.GC
  /** Clock offsets within the struct: [from, to). */
  from: number
  to: number
}

export const splitUpdate = (update: Uint8Array, maxBytes: number): Uint8Array[] => {
  if (update.byteLength <= maxBytes) return [update]
  const { structs, ds } = Y.decodeUpdate(update)
  const budget = Math.max(1, maxBytes - HEADROOM)
  const pieces: Uint8Array[] = []
  let segments: Segment[] = []
  let size = 0
  const clients = new Set<number>()
  const flush = () => {
    if (segments.length === 0) return
    pieces.push(writePiece(segments, null))
    segments = []
    size = 0
    clients.clear()
  }
  for (const struct of causalOrder(structs)) {
    // Most structs fit whole: their size is all that is needed. Only one that must be
    // cut has its units measured (a 3 MB paste is one long string, or many short ones).
    const header = clients.has(struct.id.client) ? 0 : CLIENT_HEADER
    const whole = wholeBytes(struct)
    if (whole + header <= budget - size) {
      segments.push({ struct, from: 0, to: struct.length })
      size += header + whole
      clients.add(struct.id.client)
      continue
    }
    const sizes = unitSizes(struct)
    let from = 0
    while (from < struct.length) {
      const header = clients.has(struct.id.client) ? 0 : CLIENT_HEADER
      let n = fit(struct, sizes, from, budget - size - header)
      if (n === 0) {
        if (segments.length > 0) { flush(); continue }
        // Alone in a piece and still too big: it cannot be cut, so it goes whole.
        n = sizes ? unitsAt(struct, from) : struct.length - from
      }
      segments.push({ struct, from, to: from + n })
      size += header + measure(struct, sizes, from, from + n)
      clients.add(struct.id.client)
      from += n
      if (from < struct.length) flush()
    }
  }
  // The delete set last: with the final structs if it fits, else in pieces of its own.
  const ranges: Array<[number, number, number]> = []
  ds.clients.forEach((items, client) => { for (const d of items) ranges.push([client, d.clock, d.len]) })
  if (ranges.length * 26 + 16 <= budget - size) {
    if (segments.length > 0 || ranges.length > 0) pieces.push(writePiece(segments, ranges))
    return pieces
  }
  flush()
  const perPiece = Math.max(1, Math.floor((budget - 16) / 26))
  for (let i = 0; i < ranges.length; i += perPiece) pieces.push(writePiece([], ranges.slice(i, i + perPiece)))
  return pieces
}

/** Pieces from `splitUpdate` still larger than `maxBytes` (structs that cannot be cut). */
export const oversized = (pieces: Uint8Array[], maxBytes: number): number[] =>
  pieces.filter((p) => p.byteLength > maxBytes).map((p) => p.byteLength)

/**
 * Structs in an order where each comes after everything it refers to that the update
 * holds (an iterative depth-first walk: documents are long chains of references).
 * Yjs only ever refers to what existed when a struct was made, so there are no cycles;
 * a malformed one would simply be cut.
 */
const causalOrder = (all: Struct[]): Array<Y.Item | Y.GC> => {
  const byClient = new Map<number, Array<Y.Item | Y.GC>>()
  for (const s of all) {
    if (s instanceof Y.Skip) continue
    const list = byClient.get(s.id.client) ?? []
    list.push(s as Y.Item | Y.GC)
    byClient.set(s.id.client, list)
  }
  for (const list of byClient.values()) list.sort((a, b) => a.id.clock - b.id.clock)
  const indexOf = new Map<Y.Item | Y.GC, number>()
  for (const list of byClient.values()) list.forEach((s, i) => indexOf.set(s, i))
  const find = (id: Y.ID | null): Y.Item | Y.GC | null => {
    if (!id) return null
    const list = byClient.get(id.client)
    if (!list) return null
    let lo = 0
    let hi = list.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const s = list[mid]!
      if (id.clock < s.id.clock) hi = mid - 1
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1
      else return s
    }
    return null
  }
  const depsOf = (s: Y.Item | Y.GC): Array<Y.Item | Y.GC> => {
    const deps: Array<Y.Item | Y.GC | null> = [byClient.get(s.id.client)![indexOf.get(s)! - 1] ?? null]
    if (s instanceof Y.Item) {
      deps.push(find(s.origin), find(s.rightOrigin))
      if (s.parent instanceof Y.ID) deps.push(find(s.parent))
    }
    return deps.filter((d): d is Y.Item | Y.GC => d !== null && d !== s)
  }
  const state = new Map<Y.Item | Y.GC, 'visiting' | 'done'>()
  const order: Array<Y.Item | Y.GC> = []
  for (const list of byClient.values()) {
    for (const root of list) {
      if (state.has(root)) continue
      const stack: Array<{ s: Y.Item | Y.GC; deps: Array<Y.Item | Y.GC>; next: number }> = [{ s: root, deps: depsOf(root), next: 0 }]
      state.set(root, 'visiting')
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!
        const dep = top.deps[top.next++]
        if (dep !== undefined) {
          if (!state.has(dep)) {
            state.set(dep, 'visiting')
            stack.push({ s: dep, deps: depsOf(dep), next: 0 })
          }
          continue
        }
        state.set(top.s, 'done')
        order.push(top.s)
        stack.pop()
      }
    }
  }
  return order
}

/**
 * Encoded bytes of each clock unit of a struct whose content can be cut (a string: its
 * UTF-8 bytes per UTF-16 unit; a list of values: each value), or null when it cannot be
 * cut or its units are too small to matter (deleted content, GC: a length only).
 */
const unitSizes = (struct: Y.Item | Y.GC): Uint8Array | Uint32Array | null => {
  if (!(struct instanceof Y.Item) || struct.length === 1) return null
  const content = struct.content
  if (content instanceof Y.ContentString) {
    const str = content.str
    const sizes = new Uint8Array(str.length)
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i)
      // A surrogate pair is 4 bytes in UTF-8: 2 for each half.
      sizes[i] = c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3
    }
    return sizes
  }
  if (content instanceof Y.ContentAny || content instanceof Y.ContentJSON) {
    const values = content instanceof Y.ContentAny ? content.arr : content.arr
    return Uint32Array.from(values, (v) => {
      const e = encoding.createEncoder()
      if (content instanceof Y.ContentAny) encoding.writeAny(e, v as never)
      else encoding.writeVarString(e, v === undefined ? 'undefined' : JSON.stringify(v))
      return encoding.length(e)
    })
  }
  return null
}

/** A struct's encoded bytes, whole (strings counted without encoding them). */
const wholeBytes = (struct: Y.Item | Y.GC): number => {
  if (struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
    const str = struct.content.str
    let bytes = overhead(struct)
    for (let i = 0; i < str.length; i++) {
      const c = str.charCodeAt(i)
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3
    }
    return bytes
  }
  return measure(struct, null, 0, struct.length)
}

/** Bytes of units [from, to) of a struct, with its own header (origins, parent, length). */
const measure = (struct: Y.Item | Y.GC, sizes: Uint8Array | Uint32Array | null, from: number, to: number): number => {
  if (!sizes) {
    const e = new Y.UpdateEncoderV1()
    slice(struct, to).write(e, from)
    return e.toUint8Array().byteLength
  }
  let bytes = overhead(struct)
  for (let i = from; i < to; i++) bytes += sizes[i]!
  return bytes
}

/** A struct's bytes besides its content units: info, origins, parent, the content's length prefix. */
const overhead = (struct: Y.Item | Y.GC): number => {
  if (!(struct instanceof Y.Item)) return 12
  const parent = typeof struct.parent === 'string' ? (struct.parent as string).length * 3 : 0
  return 48 + parent + (struct.parentSub ? struct.parentSub.length * 3 + 5 : 0)
}

/** How many units from `from` fit in `room` bytes (0: not even one). */
const fit = (struct: Y.Item | Y.GC, sizes: Uint8Array | Uint32Array | null, from: number, room: number): number => {
  if (!sizes) return measure(struct, null, from, struct.length) <= room ? struct.length - from : 0
  let bytes = overhead(struct)
  let n = 0
  while (from + n < struct.length && bytes + sizes[from + n]! <= room) bytes += sizes[from + n++]!
  if (n > 0 && from + n < struct.length && struct instanceof Y.Item && struct.content instanceof Y.ContentString) {
    // Never between the two halves of a surrogate pair (Yjs would write U+FFFD there).
    const c = struct.content.str.charCodeAt(from + n - 1)
    if (c >= 0xd800 && c <= 0xdbff) n--
  }
  return n
}

/** The smallest piece of a cuttable struct: one unit, or both halves of a surrogate pair. */
const unitsAt = (struct: Y.Item | Y.GC, from: number): number => {
  if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentString)) return 1
  const c = struct.content.str.charCodeAt(from)
  return c >= 0xd800 && c <= 0xdbff && from + 1 < struct.length ? 2 : 1
}

/** The struct's units [0, to): itself, or a copy cut short. */
const slice = (struct: Y.Item | Y.GC, to: number): Y.Item | Y.GC => {
  if (to >= struct.length) return struct
  if (struct instanceof Y.GC) return new Y.GC(struct.id, to)
  const content = struct.content.copy()
  content.splice(to)
  return new Y.Item(struct.id, null, struct.origin, null, struct.rightOrigin, struct.parent, struct.parentSub, content)
}

/** One update: the segments grouped by client (gaps in a client's clocks written as skips), then the delete set. */
const writePiece = (segments: Segment[], ranges: Array<[number, number, number]> | null): Uint8Array => {
  const byClient = new Map<number, Segment[]>()
  for (const seg of segments) {
    const list = byClient.get(seg.struct.id.client) ?? []
    list.push(seg)
    byClient.set(seg.struct.id.client, list)
  }
  const encoder = new Y.UpdateEncoderV1()
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, list] of byClient) {
    list.sort((a, b) => (a.struct.id.clock + a.from) - (b.struct.id.clock + b.from))
    const parts: Array<Segment | Y.Skip> = []
    const first = list[0]!.struct.id.clock + list[0]!.from
    let clock = first
    for (const seg of list) {
      const start = seg.struct.id.clock + seg.from
      if (start > clock) parts.push(new Y.Skip(Y.createID(client, clock), start - clock))
      parts.push(seg)
      clock = seg.struct.id.clock + seg.to
    }
    encoding.writeVarUint(encoder.restEncoder, parts.length)
    encoder.writeClient(client)
    encoding.writeVarUint(encoder.restEncoder, first)
    for (const part of parts) {
      if (part instanceof Y.Skip) part.write(encoder, 0)
      else slice(part.struct, part.to).write(encoder, part.from)
    }
  }
  writeDeleteSet(encoder, ranges ?? [])
  return encoder.toUint8Array()
}

const writeDeleteSet = (encoder: Y.UpdateEncoderV1, ranges: Array<[number, number, number]>): void => {
  const byClient = new Map<number, Array<[number, number]>>()
  for (const [client, clock, len] of ranges) {
    const list = byClient.get(client) ?? []
    list.push([clock, len])
    byClient.set(client, list)
  }
  encoding.writeVarUint(encoder.restEncoder, byClient.size)
  for (const [client, list] of byClient) {
    encoder.resetDsCurVal()
    encoding.writeVarUint(encoder.restEncoder, client)
    encoding.writeVarUint(encoder.restEncoder, list.length)
    for (const [clock, len] of list) {
      encoder.writeDsClock(clock)
      encoder.writeDsLen(len)
    }
  }
}
