import { describe, expect, it } from 'vitest'
import { schema } from './schema.ts'
import { countWords, outlineOf } from './outline.ts'

const { doc, title, paragraph, heading, bullet_list: ul, list_item: li } = schema.nodes
const p = (text: string) => paragraph!.create(null, text ? schema.text(text) : null)
const h = (level: number, text: string) => heading!.create({ level }, schema.text(text))

const draft = doc!.create(null, [
  title!.create(null, schema.text('The People’s Platform')),
  p('We, the members, hold these truths.'),
  h(2, 'Housing'),
  p('Homes for all — rent-controlled, well-built.'),
  h(3, 'Tenants'),
  ul!.create(null, [li!.create(null, p('Right to organise')), li!.create(null, p(''))]),
  h(2, 'Work'),
])

describe('outline', () => {
  it('lists planks and subsections in order with positions that point at them', () => {
    const outline = outlineOf(draft)
    expect(outline.map((e) => [e.level, e.text])).toEqual([[2, 'Housing'], [3, 'Tenants'], [2, 'Work']])
    for (const entry of outline) expect(draft.nodeAt(entry.pos)?.textContent).toBe(entry.text)
  })

  it('is empty for a draft without sections', () => {
    expect(outlineOf(doc!.create(null, [title!.create(), p('')]))).toEqual([])
  })
})

describe('countWords', () => {
  it('counts words across title, headings, paragraphs and lists', () => {
    // 3 + 6 + 1 + 5 + 1 + 3 + 1
    expect(countWords(draft)).toBe(20)
  })

  it('does not glue words from adjacent blocks together', () => {
    expect(countWords(doc!.create(null, [title!.create(null, schema.text('One')), p('two')]))).toBe(2)
  })

  it('counts a number with thousands separators as one word; words around a comma stay apart', () => {
    // Raise · 500,000 · homes · by · 2030 · and · 3.5 · percent · rent · wages
    expect(countWords(doc!.create(null, [title!.create(), p('Raise 500,000 homes by 2030, and 3.5 percent. rent,wages')]))).toBe(10)
  })

})
