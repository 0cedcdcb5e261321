import { describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'
import { buildMenuTemplate, type UpdateMenu } from './menu.ts'
import type { MenuAction } from '../crdt/contracts/host-api.ts'

const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label ?? i.role ?? i.type)
const updates = (automatic = true): UpdateMenu => ({ automatic, setAutomatic: vi.fn(), checkNow: vi.fn() })
const click = (item: MenuItemConstructorOptions, checked?: boolean) => (item.click as (i: { checked?: boolean }) => void)({ checked })

describe('application menu', () => {
  it('has File (New draft, Open, Export…, Quit), Edit, View and Help', () => {
    const sent: MenuAction[] = []
    const template = buildMenuTemplate({ isMac: false, appName: 'Plank', send: (a) => sent.push(a), updates: updates() })
    expect(labels(template)).toEqual(['File', 'Edit', 'View', 'windowMenu', 'Help'])
    const file = template[0]!.submenu as MenuItemConstructorOptions[]
    expect(labels(file)).toEqual(['New Draft', 'Open…', 'Rename Draft…', 'separator', 'Export…', 'separator', 'quit'])
    for (const item of file) (item.click as (() => void) | undefined)?.()
    expect(sent).toEqual(['new-draft', 'open-draft', 'rename-draft', 'export'])
    const edit = template[1]!.submenu as MenuItemConstructorOptions[]
    expect(labels(edit)).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste']))
  })

  it('puts the app menu first on macOS, with the update items, and closes the window from File', () => {
    const template = buildMenuTemplate({ isMac: true, appName: 'Plank', send: () => {}, updates: updates(false) })
    expect(labels(template)[0]).toBe('Plank')
    expect(labels(template)).not.toContain('Help')
    const appMenu = template[0]!.submenu as MenuItemConstructorOptions[]
    expect(labels(appMenu)).toEqual(['about', 'separator', 'Check for Updates…', 'Update Automatically', 'separator', 'hide', 'hideOthers', 'unhide', 'separator', 'quit'])
    expect(appMenu.find((i) => i.label === 'Update Automatically')).toMatchObject({ type: 'checkbox', checked: false })
    const file = template[1]!.submenu as MenuItemConstructorOptions[]
    expect(file.at(-1)?.role).toBe('close')
  })

  it('lets the member check for updates, and turn automatic updates off and on', () => {
    const u = updates()
    const help = buildMenuTemplate({ isMac: false, appName: 'Plank', send: () => {}, updates: u }).at(-1)!.submenu as MenuItemConstructorOptions[]
    expect(labels(help)).toEqual(['Check for Updates…', 'Update Automatically'])
    expect(help[1]).toMatchObject({ type: 'checkbox', checked: true })
    click(help[0]!)
    expect(u.checkNow).toHaveBeenCalledTimes(1)
    // Electron flips the checkbox before the click handler runs: the item says what is now wanted.
    click(help[1]!, false)
    click(help[1]!, true)
    expect(u.setAutomatic).toHaveBeenNthCalledWith(1, false)
    expect(u.setAutomatic).toHaveBeenNthCalledWith(2, true)
  })
})
