import { Plugin } from 'prosemirror-state'
import { deletionType, insertionType } from './suggestion-marks.ts'
import { formatType } from './format-proposals.ts'
import { isLocalEdit } from './local-edit.ts'

/**
 * Outside propose mode, text a member types is accepted text, even when typed in the
 * middle of someone's proposed insertion or deletion (ProseMirror would otherwise give
 * it the marks around it, and accepting that amendment would delete the new words).
 */
export const plainEditsPlugin = (): Plugin => new Plugin({
  appendTransaction(trs, _old, state) {
    const ranges: Array<[number, number]> = []
    for (const tr of trs) {
      if (!isLocalEdit(tr)) continue
      // Map earlier ranges through this transaction, then add what it inserted.
      for (const r of ranges) { r[0] = tr.mapping.map(r[0], -1); r[1] = tr.mapping.map(r[1], 1) }
      tr.mapping.maps.forEach((map, i) => {
        const rest = tr.mapping.slice(i + 1)
        map.forEach((_a, _b, start, end) => { if (end > start) ranges.push([rest.map(start, -1), rest.map(end, 1)]) })
      })
    }
    const fix = state.tr
    for (const [from, to] of ranges) {
      let marked = false
      state.doc.nodesBetween(from, to, (node) => {
        if (node.marks.some((m) => m.type === insertionType || m.type === deletionType || m.type === formatType)) marked = true
        return !marked
      })
      if (!marked) continue
      fix.removeMark(from, to, insertionType)
      fix.removeMark(from, to, deletionType)
      fix.removeMark(from, to, formatType)
    }
    return fix.docChanged ? fix : null
  },
})
