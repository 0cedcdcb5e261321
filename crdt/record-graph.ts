/**
 * The causal graph of a draft's signed records: each record points at the records its
 * author had seen (`prev`). Records join the graph only once all their predecessors
 * have (a record whose predecessors have not arrived is held), so the order in which
 * records join is a topological order, and a record that joins later can never be an
 * ancestor of one that joined earlier. Everything here is append-only.
 *
 * Ancestry is what every rule asks ("did the remover see this close?", "was this
 * ballot on the close's heads?"), so it is answered without walking the graph each
 * time: every node carries the set of roster entries in its past as a bitset (roster
 * entries are few: one per admission or change), and the full set of ancestors of a
 * node is computed once, on demand, for the few nodes it is asked of (closes, removals).
 */
export interface GraphNode<E> {
  id: string
  entry: E
  /** Position in joining order (a topological order). */
  index: number
  parents: Array<GraphNode<E>>
  children: Array<GraphNode<E>>
  /** Index among roster nodes, or -1 for any other record. */
  rosterIndex: number
  /** Roster entries strictly in this node's past, by rosterIndex. */
  rosterPast: Uint32Array
  /** The nearest roster entries in its past (what it must wait for in a roster replay). */
  rosterParents: Array<GraphNode<E>>
}

export class RecordGraph<E> {
  readonly nodes = new Map<string, GraphNode<E>>()
  readonly order: Array<GraphNode<E>> = []
  readonly rosterNodes: Array<GraphNode<E>> = []
  private readonly pastCache = new Map<string, Uint32Array>()
  private readonly futureCache = new Map<string, { bits: Uint32Array; upTo: number }>()

  constructor(private readonly isRoster: (entry: E) => boolean) {}

  has(id: string): boolean { return this.nodes.has(id) }
  get(id: string): GraphNode<E> | undefined { return this.nodes.get(id) }
  get size(): number { return this.order.length }

  /** Add a record whose predecessors are all in the graph already. */
  add(id: string, entry: E, prev: readonly string[]): GraphNode<E> {
    const parents = prev.map((p) => this.nodes.get(p)!)
    const roster = this.isRoster(entry)
    const words = Math.ceil(this.rosterNodes.length / 32)
    const rosterPast = new Uint32Array(words)
    const nearest = new Set<GraphNode<E>>()
    for (const p of parents) {
      const src = p.rosterPast
      for (let i = 0; i < src.length; i++) rosterPast[i]! |= src[i]!
      if (p.rosterIndex >= 0) {
        rosterPast[p.rosterIndex >>> 5]! |= 1 << (p.rosterIndex & 31)
        nearest.add(p)
      } else {
        for (const r of p.rosterParents) nearest.add(r)
      }
    }
    // Keep only the nearest: drop roster parents that are in another one's past.
    const rosterParents = [...nearest].filter((r) => ![...nearest].some((o) => o !== r && hasBit(o.rosterPast, r.rosterIndex)))
    const node: GraphNode<E> = { id, entry, index: this.order.length, parents, children: [], rosterIndex: roster ? this.rosterNodes.length : -1, rosterPast, rosterParents }
    for (const p of parents) p.children.push(node)
    this.nodes.set(id, node)
    this.order.push(node)
    if (roster) this.rosterNodes.push(node)
    return node
  }

  /** Whether `a` is strictly in the past of `b`. */
  isAncestor(a: GraphNode<E>, b: GraphNode<E>): boolean {
    if (a.index >= b.index) return false
    if (a.rosterIndex >= 0) return hasBit(b.rosterPast, a.rosterIndex)
    const past = this.pastCache.get(b.id)
    if (past) return hasBit(past, a.index)
    if (this.futureCache.has(a.id)) return hasBit(this.futureOf(a), b.index)
    // Walk back from b, never below a: records between them are all it can pass through.
    const seen = new Set<GraphNode<E>>()
    const stack = [...b.parents]
    while (stack.length > 0) {
      const n = stack.pop()!
      if (n === a) return true
      if (n.index < a.index || seen.has(n)) continue
      seen.add(n)
      for (const p of n.parents) stack.push(p)
    }
    return false
  }

  /**
   * Every node strictly in `node`'s future, by index: kept per node asked about and
   * extended as nodes join (they join in topological order, so one pass over the new ones).
   */
  futureOf(node: GraphNode<E>): Uint32Array {
    let known = this.futureCache.get(node.id)
    if (!known) {
      known = { bits: new Uint32Array(0), upTo: node.index + 1 }
      this.futureCache.set(node.id, known)
    }
    if (known.upTo < this.order.length) {
      const bits = new Uint32Array(Math.ceil(this.order.length / 32))
      bits.set(known.bits)
      for (let i = known.upTo; i < this.order.length; i++) {
        const n = this.order[i]!
        if (n.parents.some((p) => p === node || hasBit(bits, p.index))) bits[i >>> 5]! |= 1 << (i & 31)
      }
      known.bits = bits
      known.upTo = this.order.length
    }
    return known.bits
  }

  concurrent(a: GraphNode<E>, b: GraphNode<E>): boolean {
    return a !== b && !this.isAncestor(a, b) && !this.isAncestor(b, a)
  }

  /** Every node strictly in `node`'s past, by index (computed once per node asked about). */
  pastOf(node: GraphNode<E>): Uint32Array {
    const known = this.pastCache.get(node.id)
    if (known) return known
    const past = new Uint32Array(Math.ceil(node.index / 32))
    const stack = [...node.parents]
    while (stack.length > 0) {
      const n = stack.pop()!
      if (hasBit(past, n.index)) continue
      past[n.index >>> 5]! |= 1 << (n.index & 31)
      for (const p of n.parents) if (!hasBit(past, p.index)) stack.push(p)
    }
    this.pastCache.set(node.id, past)
    return past
  }
}

const hasBit = (bits: Uint32Array, i: number): boolean => i >>> 5 < bits.length && ((bits[i >>> 5]! >>> (i & 31)) & 1) === 1
