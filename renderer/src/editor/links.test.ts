import { describe, expect, it } from 'vitest'
import { safeHref } from './links.ts'

describe('safeHref', () => {
  it.each([
    ['https://example.org/platform', 'https://example.org/platform'],
    ['http://example.org', 'http://example.org/'],
    ['mailto:chapter@example.org', 'mailto:chapter@example.org'],
    ['example.org/housing', 'https://example.org/housing'],
    ['  https://example.org  ', 'https://example.org/'],
  ])('allows %s', (input, expected) => {
    expect(safeHref(input)).toBe(expected)
  })

  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'file:///etc/passwd',
    'vbscript:msgbox',
    'ftp://example.org',
    '',
    'https://',
    42,
    null,
  ])('refuses %s', (input) => {
    expect(safeHref(input)).toBeNull()
  })
})
