// How often one run asks CertCentral. The rate limit (1,000 requests per 3 minutes and 100 per
// 5 seconds) is counted per API key, and every job using the key shares it: one run keeps at least
// a second between its own polls, and between a request and its retry, so that it takes a small
// share of the limit and leaves the rest to the others.

/** The shortest wait between two polls of one run, whatever poll-interval says. */
export const MIN_POLL_MS = 1_000
/** The shortest wait before a retry. */
export const MIN_RETRY_MS = 1_000
