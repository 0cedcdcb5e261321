import { connect } from 'node:tls'
import { spkiPin } from '../../electron/meeting-certificate.ts'

/**
 * How a Node client pins a meeting host the way the desktop app does: it fetches the
 * certificate the host presents, checks its key against the pin from the invite, and
 * only then trusts exactly that certificate (as `ca`) for the real connection. No
 * request, and so no token, is sent to a host whose key does not match.
 */
export const certificateWithPin = (url: string, pin: string): Promise<string> => new Promise((resolve, reject) => {
  const { hostname, port } = new URL(url)
  const socket = connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
    const certificate = socket.getPeerX509Certificate()
    socket.destroy()
    if (certificate && spkiPin(certificate.raw) === pin) resolve(certificate.toString())
    else reject(new Error(`the certificate at ${url} does not match the invite’s pin`))
  })
  socket.on('error', reject)
})
