/**
 * The draft file format. Root type names and node names are stored inside every
 * draft, so changing one is a schema change: bump SCHEMA_VERSION and migrate.
 */

/** Schema version this build writes and fully understands. */
export const SCHEMA_VERSION = 1

/** Names of the Y.Doc root types. */
export const ROOT = {
  content: 'content',
  meta: 'meta',
  comments: 'comments',
  amendments: 'amendments',
  votes: 'votes',
  versions: 'versions',
  members: 'members',
} as const

/**
 * ProseMirror node and mark names as stored in `content`. The renderer's schema is
 * built from these, and seeding writes them, so the two cannot drift apart.
 */
export const NODE = {
  doc: 'doc',
  title: 'title',
  paragraph: 'paragraph',
  heading: 'heading',
  blockquote: 'blockquote',
  bulletList: 'bullet_list',
  orderedList: 'ordered_list',
  listItem: 'list_item',
  hardBreak: 'hard_break',
  text: 'text',
} as const

export const MARK = {
  strong: 'strong',
  em: 'em',
  underline: 'underline',
  link: 'link',
} as const

/** Heading levels in a platform: 2 is a plank (section), 3 a subsection. */
export const PLANK_LEVEL = 2
export const SUBSECTION_LEVEL = 3

/** Keys of the `meta` map. */
export const META = {
  schemaVersion: 'schemaVersion',
  chapter: 'chapter',
  created: 'created',
  forkedFrom: 'forkedFrom',
} as const
