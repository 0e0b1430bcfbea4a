/** A value read from text, or why the text is not one (phrased to follow the input's name). */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string }

export const parsed = <T>(value: T): Parsed<T> => ({ ok: true, value })
export const failed = <T>(message: string): Parsed<T> => ({ ok: false, message })
