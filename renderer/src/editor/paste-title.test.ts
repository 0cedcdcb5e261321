import { describe, expect, it } from 'vitest'
import { Fragment, Slice } from 'prosemirror-model'
import { schema } from './schema.ts'
import { titlesToHeadings } from './paste-title.ts'

const { title, paragraph, blockquote, heading } = schema.nodes

describe('pasting a title', () => {
  it('a pasted title (an <h1>) becomes a plank heading, even inside a quote; the rest is untouched', () => {
    const slice = new Slice(Fragment.from([
      title!.create(null, schema.text('Another platform')),
      paragraph!.create(null, schema.text('Its first words.')),
      blockquote!.create(null, [title!.create(null, schema.text('Quoted title'))]),
    ]), 0, 0)
    const out = titlesToHeadings(slice)
    expect(out.content.child(0).type).toBe(heading)
    expect(out.content.child(0).attrs.level).toBe(2)
    expect(out.content.child(0).textContent).toBe('Another platform')
    expect(out.content.child(1).eq(slice.content.child(1))).toBe(true)
    expect(out.content.child(2).firstChild!.type).toBe(heading)
    expect(out.openStart).toBe(0)
  })
})
