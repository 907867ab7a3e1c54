const DAY_MS = 24 * 60 * 60 * 1000;

export const CA_LIFETIME_DAYS = 10 * 365 + 2; // ten years, leap days included
/** Browsers refuse TLS server certificates valid for more than 398 days. */
export const LEAF_LIFETIME_DAYS = 397;
/** Renew this long before expiry so a machine left running is never caught out. */
export const RENEWAL_MARGIN_DAYS = 30;
/** Back-date notBefore so other machines whose clocks run a little behind accept it. */
const CLOCK_SKEW_DAYS = 1;

export function validityPeriod(now: Date, lifetimeDays: number): { notBefore: Date; notAfter: Date } {
  const notBefore = new Date(now.getTime() - CLOCK_SKEW_DAYS * DAY_MS);
  return { notBefore, notAfter: new Date(notBefore.getTime() + lifetimeDays * DAY_MS) };
}

export function expiresWithinRenewalMargin(notAfter: Date, now: Date): boolean {
  return notAfter.getTime() - now.getTime() < RENEWAL_MARGIN_DAYS * DAY_MS;
}
