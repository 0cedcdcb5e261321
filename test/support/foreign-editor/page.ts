/**
 * A ProseMirror editor nobody at Plank wrote, for end-to-end tests: prosemirror-schema-basic
 * with its list nodes (bold and links allowed in headings, code blocks, images, rules,
 * code marks, links with titles), plus a `title` node so it does not itself delete
 * Plank's title, bound with y-prosemirror and synced through a y-websocket relay. Runs in
 * the browser, bundled by esbuild (foreign-editor.ts). The test drives it through
 * `window.foreign`.
 */
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import { Schema, type Node as PMNode } from 'prosemirror-model'
import { EditorState } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { schema as basic } from 'prosemirror-schema-basic'
import { addListNodes } from 'prosemirror-schema-list'
import { ySyncPlugin, yUndoPlugin, undo } from 'y-prosemirror'

const nodes = addListNodes(basic.spec.nodes, 'paragraph block*', 'block')
  .addToStart('title', { content: 'inline*', defining: true, parseDOM: [{ tag: 'h1.title' }], toDOM: () => ['h1', { class: 'title' }, 0] })
  .update('doc', { content: '(title | block)+' })
const schema = new Schema({ nodes, marks: basic.spec.marks })

const params = new URLSearchParams(location.search)
const doc = new Y.Doc()
const provider = new WebsocketProvider(params.get('relay')!, params.get('room')!, doc, { disableBc: true })
const fragment = doc.getXmlFragment('content')
const view = new EditorView(document.querySelector('#editor')!, {
  state: EditorState.create({ schema, plugins: [ySyncPlugin(fragment), yUndoPlugin()] }),
})

const append = (node: PMNode) => view.dispatch(view.state.tr.insert(view.state.doc.content.size, node))
const s = schema
const actions: Record<string, () => void> = {
  boldHeading: () => append(s.node('heading', { level: 2 }, [s.text('Bold from elsewhere', [s.marks.strong!.create()])])),
  linkInHeading: () => append(s.node('heading', { level: 2 }, [s.text('Linked heading', [s.marks.link!.create({ href: 'https://example.org', title: 'Example' })])])),
  italicTitle: () => {
    const title = view.state.doc.firstChild!
    view.dispatch(view.state.tr.addMark(1, 1 + Math.min(4, title.content.size), s.marks.em!.create()))
  },
  codeBlock: () => append(s.node('code_block', null, [s.text('vote(yes)')])),
  image: () => append(s.node('paragraph', null, [s.text('Our logo '), s.node('image', { src: 'https://example.org/logo.png', alt: 'logo' })])),
  rule: () => append(s.node('horizontal_rule')),
  codeMark: () => append(s.node('paragraph', null, [s.text('run '), s.text('plank --help', [s.marks.code!.create()])])),
  plainParagraph: () => append(s.node('paragraph', null, [s.text('A plain paragraph from elsewhere')])),
}

declare global {
  interface Window {
    foreign: {
      synced: Promise<void>
      run(action: string): void
      undoAll(): void
      xml(): string
      text(): string
      client: number
    }
  }
}

window.foreign = {
  synced: new Promise((resolve) => provider.once('sync', () => resolve())),
  run: (action) => actions[action]!(),
  undoAll: () => { while (undo(view.state)) { /* every change this editor made, newest first */ } },
  xml: () => fragment.toString(),
  text: () => view.state.doc.textContent,
  client: doc.clientID,
}
