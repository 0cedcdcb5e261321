import {
  inputRules, wrappingInputRule, textblockTypeInputRule, smartQuotes, ellipsis, emDash, InputRule,
} from 'prosemirror-inputrules'
import type { MarkType } from 'prosemirror-model'
import type { Plugin } from 'prosemirror-state'
import { schema } from './schema.ts'
import { PLANK_LEVEL, SUBSECTION_LEVEL } from '../../../crdt/format.ts'

/** `**bold**`, `*italic*`, `_italic_`: wrap the matched text in a mark, drop the markers. */
const markRule = (pattern: RegExp, markType: MarkType): InputRule =>
  new InputRule(pattern, (state, match, start, end) => {
    const text = match[2]
    if (text === undefined) return null
    const prefix = match[1] ?? ''
    const from = start + prefix.length
    return state.tr
      .replaceWith(from, end, schema.text(text, [markType.create()]))
      .removeStoredMark(markType)
  })

/** Markdown-style shortcuts members already know from chat apps and other editors. */
export const platformInputRules = (): Plugin => inputRules({
  rules: [
    ...smartQuotes, ellipsis, emDash,
    wrappingInputRule(/^\s*>\s$/, schema.nodes.blockquote!),
    wrappingInputRule(/^\s*([-+*])\s$/, schema.nodes.bullet_list!),
    wrappingInputRule(
      /^(\d+)\.\s$/, schema.nodes.ordered_list!,
      (match) => ({ order: Number(match[1]) }),
      (match, node) => node.childCount + Number(node.attrs.order) === Number(match[1]),
    ),
    textblockTypeInputRule(/^##\s$/, schema.nodes.heading!, { level: PLANK_LEVEL }),
    textblockTypeInputRule(/^###\s$/, schema.nodes.heading!, { level: SUBSECTION_LEVEL }),
    markRule(/(^|[^*])\*\*([^*]+)\*\*$/, schema.marks.strong!),
    markRule(/(^|[^*_\w])[*_]([^*_]+)[*_]$/, schema.marks.em!),
  ],
})
