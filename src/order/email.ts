// A deliberately simple shape check (local@domain.tld): it catches typos and pasted names before
// the order is sent; CertCentral remains the judge of what it delivers to.
export function isEmailAddress(text: string): boolean {
  return /^[^\s@]+@(?:[^\s@.]+\.)+[^\s@.]{2,}$/.test(text)
}
