import type { Author } from '../../../crdt/author.ts'
import type { Thread } from '../../../crdt/comments.ts'
import type { Amendment } from '../../../crdt/amendments.ts'
import type { Position, Tally } from '../../../crdt/decisions.ts'
import type { ProposedChange } from './suggestion-marks.ts'
import type { Choice, CompositeSource, ProposedBackSource, QuestionView, Roster } from '../../../crdt/index.ts'

/** What the review panel shows: a plain snapshot, rebuilt whenever the draft changes. */
export interface ReviewModel {
  me: Author
  canEdit: boolean
  /** Anchored threads in document order; threads whose words were deleted come last. */
  threads: Array<{ thread: Thread; at: number | null }>
  amendments: AmendmentView[]
  activeThread: string | null
  /** A comment being written on the selection (words quoted), or null. */
  composing: { quote: string } | null
  proposing: string | null
  roster: Roster
  /** Formal votes, oldest first. */
  questions: QuestionView[]
  /** What a question is about, in words ("amendment “Rent cap”"). */
  subjectName: (q: QuestionView) => string
}

export interface AmendmentView {
  amendment: Amendment
  tally: Tally
  /** The marks and breaks it still has in the text (none once settled). */
  change: ProposedChange | null
  discussion: Thread | null
  /** Formal votes called on it, oldest first. */
  votes: QuestionView[]
  /** The chapter it was proposed back from, if it was. */
  source: ProposedBackSource | null
  /** A composite's sources (each with its status now) and the chapters supporting it. */
  composite: { sources: Array<CompositeSource & { status: Tally['status'] }>; chapters: string[] } | null
  /** The composite this amendment was merged into. */
  compositedInto: { id: string; title: string; status: Tally['status'] } | null
}

export interface ReviewActions {
  activate(threadId: string): void
  /** Open a thread's reply box and put the caret in it. */
  replyTo(threadId: string): void
  /** Each returns false when the text was not saved (the member was told why). */
  postComment(body: string): boolean
  cancelComment(): void
  reply(threadId: string, body: string): boolean
  edit(threadId: string, replyId: string | null, body: string): boolean
  remove(threadId: string, replyId: string | null): void
  resolve(threadId: string, resolved: boolean): void
  takePosition(amendmentId: string, position: Position, reason: string): void
  decide(amendmentId: string, how: 'accept' | 'reject' | 'withdraw'): Promise<void>
  settleRemaining(amendmentId: string): void
  continueProposing(amendmentId: string): void
  show(amendmentId: string): void
  editAmendment(amendmentId: string): Promise<void>
  /** Merge these open amendments into one composite (asks for its title and reason). */
  composite(amendmentIds: string[]): Promise<boolean>
  callVote(amendmentId: string): Promise<void>
  vote(question: string, choice: Choice): void
  closeVote(question: string): Promise<void>
  ratify(question: string): void
  addReport(question: string): Promise<void>
  convention(question: string): void
  /** Bring an amendment's card into view in the Amendments tab. */
  showAmendment(amendmentId: string): void
  /** Bring a formal vote's card into view in the Votes tab. */
  openVote(question: string): void
  manageMembers(): void
}
