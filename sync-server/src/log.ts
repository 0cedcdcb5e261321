/** One-line JSON logs: greppable, and any log shipper can read them. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type Logger = (level: LogLevel, event: string, fields?: Record<string, unknown>) => void

export const jsonLogger = (write: (line: string) => void = (line) => process.stdout.write(`${line}\n`), minLevel: LogLevel = 'info'): Logger => {
  const order: LogLevel[] = ['debug', 'info', 'warn', 'error']
  const min = order.indexOf(minLevel)
  return (level, event, fields = {}) => {
    if (order.indexOf(level) < min) return
    write(JSON.stringify({ time: new Date().toISOString(), level, event, ...fields }))
  }
}

export const silentLogger: Logger = () => {}
