import { describe, expect, it } from 'vitest'
import type { Node as PMNode } from 'prosemirror-model'
import { compareSchema } from './compare-schema.ts'
import { wordLevelChanges } from './word-changes.ts'

const schema = compareSchema(() => ({ name: 'x', color: '#000000' }))
type Run = [string, ('+' | '-')?, string?, boolean?]
/** A paragraph from runs: text, change type, member, bold. */
const para = (...runs: Run[]) => schema.node('doc', null, [schema.node('paragraph', null, runs.map(([text, type, user, bold]) =>
  schema.text(text, [
    ...(bold ? [schema.marks.strong!.create()] : []),
    ...(type ? [schema.marks.ychange!.create({ type: type === '+' ? 'added' : 'removed', user })] : []),
  ])))])
const runs = (doc: PMNode) => {
  const out: string[] = []
  doc.firstChild!.forEach((n) => {
    const c = n.marks.find((m) => m.type.name === 'ychange')
    out.push(`${c ? (c.attrs.type === 'added' ? '+' : '-') : ''}${n.text}${c ? `(${c.attrs.user})` : ''}${n.marks.some((m) => m.type.name === 'strong') ? '*' : ''}`)
  })
  return out
}

describe('comparison word by word', () => {
  it('shows a partly changed word whole, as it was and as it is', () => {
    const doc = para(['capped at a'], ['n', '+', 'ben'], [' '], ['fair ', '-', 'ben'], ['affordable ', '+', 'ben'], ['level.'])
    expect(runs(wordLevelChanges(doc))).toEqual(['capped at ', '-a(ben)', '+an(ben)', ' ', '-fair (ben)', '+affordable (ben)', 'level.'])
  })

  it('leaves whole-word changes and unchanged words alone, formatting kept', () => {
    const doc = para(['Free ', undefined, undefined, true], ['transit', '-', 'ana', true], ['buses', '+', 'ben', true], [' now.'])
    expect(runs(wordLevelChanges(doc))).toEqual(['Free *', '-transit(ana)*', '+buses(ben)*', ' now.'])
  })

  it('attributes a word rewritten by two members to the remover and the adder', () => {
    const doc = para(['f'], ['air', '-', 'ana'], ['ine', '+', 'ben'])
    expect(runs(wordLevelChanges(doc))).toEqual(['-fair(ana)', '+fine(ben)'])
  })

  it('a word removed and written again exactly as it was is no change (a restore retypes what it brings back)', () => {
    const doc = para(['Rent '], ['capped', '-', 'ana'], ['capped', '+', 'ben'], [' now.'])
    expect(runs(wordLevelChanges(doc))).toEqual(['Rent capped now.'])
  })

})
