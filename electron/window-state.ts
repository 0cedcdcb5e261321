import { readFileSync, writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'

/** A window's size and position, remembered between launches. */
export interface WindowState {
  x?: number
  y?: number
  width: number
  height: number
  maximized: boolean
}

export interface Rect { x: number; y: number; width: number; height: number }

export const DEFAULT_STATE: WindowState = { width: 1280, height: 860, maximized: false }
const MIN = { width: 720, height: 480 }

/** Read the saved state; a missing or corrupt file means the defaults (never a crash). */
export const loadWindowState = (file: string): WindowState => {
  try {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'))
    if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_STATE }
    const r = raw as Record<string, unknown>
    const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : undefined)
    const state: WindowState = {
      width: Math.max(MIN.width, num(r.width) ?? DEFAULT_STATE.width),
      height: Math.max(MIN.height, num(r.height) ?? DEFAULT_STATE.height),
      maximized: r.maximized === true,
    }
    const x = num(r.x)
    const y = num(r.y)
    if (x !== undefined && y !== undefined) Object.assign(state, { x, y })
    return state
  } catch {
    return { ...DEFAULT_STATE }
  }
}

export const saveWindowState = (file: string, state: WindowState): void => {
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, JSON.stringify(state))
}

/**
 * Keep a remembered window on screen: if the display it was on is gone (a projector
 * unplugged after the convention), drop the position so the window opens centred.
 */
export const fitToDisplays = (state: WindowState, workAreas: Rect[]): WindowState => {
  if (state.x === undefined || state.y === undefined) return state
  const { x, y } = state
  const visible = workAreas.some((a) => x + 100 > a.x && y + 40 > a.y && x < a.x + a.width - 100 && y < a.y + a.height - 40)
  if (visible) {
    const area = workAreas.find((a) => x >= a.x && x < a.x + a.width) ?? workAreas[0]!
    return { ...state, width: Math.min(state.width, area.width), height: Math.min(state.height, area.height) }
  }
  const { x: _x, y: _y, ...rest } = state
  return rest
}
