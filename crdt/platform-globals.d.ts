/**
 * The Web-platform globals crdt/ relies on, and nothing more. Each one is present, with
 * these shapes, in every browser, in Electron's renderer and main, and in Node 20 and
 * later, which is where crdt/ runs (the app, the relay, tests and benchmarks). crdt's
 * project (crdt/tsconfig.json) has ES2022 and this file only: neither the DOM library
 * nor Node's types, so `document`, `window`, `localStorage`, `Buffer` or `process`
 * written in crdt/ fails the build. Add a global here only if all those places have it.
 *
 * The shapes are the parts of lib.dom.d.ts that crdt/ uses; where crdt's code is
 * compiled as part of another project (the renderer's, a test's), the real DOM or Node
 * declarations apply instead, and the code must suit both.
 */

/** A timer handle: a number in a browser, an object in Node, so crdt treats it as opaque. */
interface PlatformTimer {
  readonly platformTimer: unique symbol
}
declare function setTimeout(handler: () => void, timeout?: number): PlatformTimer
declare function clearTimeout(timer: PlatformTimer | undefined): void

/** Run after the current task, before any timer (crdt/ledger.ts: never inside another transaction). */
declare function queueMicrotask(callback: () => void): void

/** WHATWG URL parsing (crdt/safe-href.ts: which links a draft may hold). */
declare class URL {
  constructor(url: string, base?: string)
  readonly href: string
  readonly protocol: string
  readonly hostname: string
}

declare const console: {
  log(...data: unknown[]): void
  warn(...data: unknown[]): void
  error(...data: unknown[]): void
}

declare class TextEncoder {
  encode(input?: string): Uint8Array<ArrayBuffer>
}

declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean })
  decode(input?: ArrayBufferView | ArrayBuffer): string
}

/** Web Crypto: the random source, SHA-256 and AES-GCM (crdt/envelope.ts, ids.ts, canonical.ts). */
type BufferSource = ArrayBufferView<ArrayBuffer> | ArrayBuffer

interface CryptoKey {
  readonly type: string
  readonly extractable: boolean
}

interface AesGcmParams {
  name: 'AES-GCM'
  iv: BufferSource
  additionalData?: BufferSource
}

interface SubtleCrypto {
  digest(algorithm: 'SHA-256', data: BufferSource): Promise<ArrayBuffer>
  importKey(format: 'raw', keyData: BufferSource, algorithm: 'AES-GCM', extractable: boolean, keyUsages: Array<'encrypt' | 'decrypt'>): Promise<CryptoKey>
  encrypt(algorithm: AesGcmParams, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>
  decrypt(algorithm: AesGcmParams, key: CryptoKey, data: BufferSource): Promise<ArrayBuffer>
}

interface Crypto {
  readonly subtle: SubtleCrypto
  getRandomValues<T extends ArrayBufferView | null>(array: T): T
}

declare const crypto: Crypto
