import { describe, expect, it } from 'vitest'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEFAULT_STATE, fitToDisplays, loadWindowState, saveWindowState } from './window-state.ts'

const dir = () => mkdtempSync(join(tmpdir(), 'plank-ws-'))

describe('window state', () => {
  it('round-trips size, position and maximised through a real file', () => {
    const file = join(dir(), 'nested', 'window-state.json')
    saveWindowState(file, { x: 40, y: 60, width: 1000, height: 700, maximized: true })
    expect(loadWindowState(file)).toEqual({ x: 40, y: 60, width: 1000, height: 700, maximized: true })
  })

  it('falls back to defaults for a missing or corrupt file', () => {
    const d = dir()
    expect(loadWindowState(join(d, 'missing.json'))).toEqual(DEFAULT_STATE)
    writeFileSync(join(d, 'bad.json'), '{"width": "huge", ')
    expect(loadWindowState(join(d, 'bad.json'))).toEqual(DEFAULT_STATE)
    writeFileSync(join(d, 'tiny.json'), '{"width": 10, "height": 10}')
    expect(loadWindowState(join(d, 'tiny.json'))).toMatchObject({ width: 720, height: 480 })
  })

  it('drops a position on a display that is gone, and shrinks to fit the one it is on', () => {
    const laptop = { x: 0, y: 0, width: 1440, height: 900 }
    expect(fitToDisplays({ x: 2000, y: 100, width: 1200, height: 800, maximized: false }, [laptop]))
      .toEqual({ width: 1200, height: 800, maximized: false })
    expect(fitToDisplays({ x: 100, y: 100, width: 3000, height: 2000, maximized: false }, [laptop]))
      .toEqual({ x: 100, y: 100, width: 1440, height: 900, maximized: false })
  })
})
