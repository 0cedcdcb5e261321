/**
 * A tiny element builder. Text is always set as text (never as HTML), so names and
 * titles from peers cannot inject markup into the app's chrome.
 */
type Attrs = Record<string, string | boolean | number | undefined | EventListener>
export type Child = Node | string | null | undefined | false

export const h = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] => {
  const el = document.createElement(tag)
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value)
    else el.setAttribute(key, value === true ? '' : String(value))
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) el.append(child)
  return el
}

/** Small inline SVG icons (stroke-based, 20px), so the UI needs no icon font or network. */
const ICONS: Record<string, string> = {
  plus: 'M10 4v12M4 10h12',
  bold: 'M6 4h5a3 3 0 010 6H6zM6 10h6a3 3 0 010 6H6z',
  italic: 'M9 4h6M5 16h6M12 4L8 16',
  underline: 'M6 4v6a4 4 0 008 0V4M5 17h10',
  bullets: 'M8 5h9M8 10h9M8 15h9M4 5h.01M4 10h.01M4 15h.01',
  numbers: 'M8 5h9M8 10h9M8 15h9M3 4l1-1v4M3 9h2l-2 3h2M3 14h2v3H3',
  quote: 'M4 5h12M7 9h9M7 13h9M4 9v4M4 17h12',
  link: 'M8.5 11.5a3 3 0 004.2 0l2.8-2.8a3 3 0 00-4.2-4.2l-.7.7M11.5 8.5a3 3 0 00-4.2 0l-2.8 2.8a3 3 0 004.2 4.2l.7-.7',
  undo: 'M7 8H13a4 4 0 010 8H9M7 8l3-3M7 8l3 3',
  redo: 'M13 8H7a4 4 0 000 8h4M13 8l-3-3M13 8l-3 3',
  more: 'M5 10h.01M10 10h.01M15 10h.01',
  doc: 'M6 3h6l4 4v10H6zM12 3v4h4',
  close: 'M5 5l10 10M15 5L5 15',
  comment: 'M4 5h12v8H9l-4 3v-3H4z',
  lock: 'M6 9V7a4 4 0 018 0v2M5 9h10v8H5z',
  unlock: 'M6 9V7a4 4 0 017.5-2M5 9h10v8H5z',
  propose: 'M4 16l1-4 8-8 3 3-8 8zM11 6l3 3',
}

export const icon = (name: keyof typeof ICONS | string): SVGSVGElement => {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
  svg.setAttribute('viewBox', '0 0 20 20')
  svg.setAttribute('width', '18')
  svg.setAttribute('height', '18')
  svg.setAttribute('aria-hidden', 'true')
  svg.classList.add('pk-icon')
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path')
  path.setAttribute('d', ICONS[name] ?? '')
  svg.append(path)
  return svg
}
