// Text that came from CertCentral (or whatever answered in its place) is untrusted: before it goes
// into a log line it is quoted on one line, so that it can neither start a workflow command
// (`::...` at the start of a line) nor pass for the action's own words, and it is kept short.

const MAX_CHARS = 80

/** The value as a JSON string: control characters and quotes escaped, at most 80 characters. */
export function quoted(value: string): string {
  const short = value.length > MAX_CHARS ? `${value.slice(0, MAX_CHARS)}…` : value
  return JSON.stringify(short)
}

/** A line of server text for a message: control characters (line breaks included) replaced by
 * spaces, at most `max` characters. */
export function oneLine(value: string, max = 200): string {
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const flat = value.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max)}…` : flat
}
