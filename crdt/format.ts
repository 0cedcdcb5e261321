/**
 * The draft file format. Root type names and node names are stored inside every
 * draft, so changing one is a schema change: bump SCHEMA_VERSION and migrate.
 */

/** Schema version this build writes and fully understands. */
export const SCHEMA_VERSION = 3

/** Names of the Y.Doc root types. */
export const ROOT = {
  content: 'content',
  meta: 'meta',
  comments: 'comments',
  amendments: 'amendments',
  votes: 'votes',
  versions: 'versions',
  members: 'members',
  /** Y.PermanentUserData: which member each client id and each deletion belongs to. */
  users: 'users',
  /** Member id → display name and colour, for showing attribution. */
  people: 'people',
  /** Formal votes: questions, ballots, closes, minority reports, ratifications (questions.ts). */
  questions: 'questions',
  /** Text moved by a decision (a join, a new block type) and the forwarding of concurrent edits to it (moves.ts). */
  moves: 'moves',
  /** A chapter draft's propose-back rounds: what it proposed, and where it landed in the parent (propose-back-log.ts). */
  proposalRounds: 'proposalRounds',
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
  /** Proposed text (an amendment's insertion): attrs amendment, author, color. */
  insertion: 'insertion',
  /** Text an amendment proposes to delete: attrs amendment, author, color. */
  deletion: 'deletion',
  /**
   * A proposed formatting change (an amendment's): attrs amendment, author, color, and
   * `change`, the marks to set (their attrs) or remove (null), as canonical JSON.
   */
  format: 'format',
} as const

/**
 * Attributes of blocks recording proposed structure: `ins` holds the id of the
 * amendment that split this block off its predecessor (reject joins it back), `del`
 * the id of the amendment that deletes the boundary before it (accept joins it), and
 * `chg` (on paragraphs, headings and lists) an amendment's proposed new form of the
 * block as canonical JSON (format-changes.ts): accept gives the block that form.
 */
export const BLOCK_ATTR = { inserted: 'ins', deleted: 'del', changed: 'chg' } as const

/** Blocks whose form (type, heading level, list start) an amendment may propose to change (`chg`). */
export const CHANGEABLE_BLOCKS: ReadonlySet<string> = new Set<string>([NODE.paragraph, NODE.heading, NODE.bulletList, NODE.orderedList])

/**
 * Marks each kind of text block may hold (absent: any). The editor's schema is built
 * from this, and settling an amendment checks it before joining two blocks, so a join
 * never makes a block the editor would refuse (and y-prosemirror would then delete).
 */
export const TEXTBLOCK_MARKS: Readonly<Record<string, readonly string[]>> = {
  [NODE.title]: [MARK.insertion, MARK.deletion],
  [NODE.heading]: [MARK.em, MARK.underline, MARK.insertion, MARK.deletion, MARK.format],
}

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
