import { safeColor } from '../../../crdt/author.ts'

/**
 * A style declaration carrying a colour that came from a peer (a profile, a record, a
 * presence state). The value is always `#rrggbb` (crdt/author.ts, safeColor), so the
 * declaration can never end and start another (`#f00; position:fixed; …`). Every inline
 * style that carries a member's colour is built here.
 */
type ColorProperty = 'background' | 'background-color' | 'border-color' | `--pk-${string}`

export const colorStyle = (property: ColorProperty, color: unknown, alpha = ''): string =>
  `${property}:${safeColor(color)}${/^[0-9a-f]{2}$/i.test(alpha) ? alpha : ''}`
