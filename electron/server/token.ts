import { randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh secret for one preview server: 192 random bits, URL-safe. */
export function makeToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares in constant time, so the token cannot be guessed byte by byte from response times. */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Host headers the preview answers: its own address only, so a DNS-rebinding page gets nothing. */
export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}
