import { Plugin } from 'prosemirror-state'
import { safeHref } from './links.ts'

/**
 * Links never navigate the app's window. Ctrl/Cmd-click opens a safe link through the
 * platform (the system browser in the desktop app); a plain click just places the caret,
 * as in any word processor.
 */
export const linkClickPlugin = (openExternal: (url: string) => void): Plugin => new Plugin({
  props: {
    handleDOMEvents: {
      click(_view, event) {
        const anchor = (event.target as HTMLElement | null)?.closest('a')
        if (!anchor) return false
        event.preventDefault()
        const href = safeHref(anchor.getAttribute('href'))
        if (href !== null && (event.ctrlKey || event.metaKey)) openExternal(href)
        return true
      },
      auxclick(_view, event) {
        if ((event.target as HTMLElement | null)?.closest('a')) event.preventDefault()
        return false
      },
    },
  },
})
