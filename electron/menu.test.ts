import { describe, expect, it } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { buildMenuTemplate, type MenuAction } from './menu.ts'

const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label ?? i.role ?? i.type)

describe('application menu', () => {
  it('has File (New draft, Open, Export…, Quit), Edit and View', () => {
    const sent: MenuAction[] = []
    const template = buildMenuTemplate({ isMac: false, appName: 'Plank', send: (a) => sent.push(a) })
    expect(labels(template)).toEqual(['File', 'Edit', 'View', 'windowMenu'])
    const file = template[0]!.submenu as MenuItemConstructorOptions[]
    expect(labels(file)).toEqual(['New Draft', 'Open…', 'Rename Draft…', 'separator', 'Export…', 'separator', 'quit'])
    for (const item of file) (item.click as (() => void) | undefined)?.()
    expect(sent).toEqual(['new-draft', 'open-draft', 'rename-draft', 'export'])
    const edit = template[1]!.submenu as MenuItemConstructorOptions[]
    expect(labels(edit)).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste']))
  })

  it('puts the app menu first on macOS and closes the window from File', () => {
    const template = buildMenuTemplate({ isMac: true, appName: 'Plank', send: () => {} })
    expect(labels(template)[0]).toBe('Plank')
    const file = template[1]!.submenu as MenuItemConstructorOptions[]
    expect(file.at(-1)?.role).toBe('close')
  })
})
