// Stand-in for Node's `url` module in the browser bundle: vtk.js pulls xmlbuilder2, whose URL parser requires
// `url` for two IDNA helpers only. The browser's URL does the same job.

/** Punycode form of a host name, as node:url's domainToASCII ('' when it is not a valid host). */
export function domainToASCII(domain: string): string {
  try {
    return new URL(`http://${domain}`).hostname;
  } catch {
    return '';
  }
}

/** Node returns the Unicode form; browsers expose none, so the name is returned as given. */
export function domainToUnicode(domain: string): string {
  return domain;
}
