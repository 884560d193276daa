/**
 * The client address that per-IP limits count against, from the
 * `CF-Connecting-IP` header that Cloudflare (and `wrangler dev`) sets on every
 * request; no other header is trusted, since a client can send any of them.
 *
 * An IPv6 address is keyed by its /64: one network (a home, an office, a
 * phone) is given at least a whole /64, so a client could otherwise step
 * through 2^64 addresses to evade the limit. IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) are the IPv4
 * address they carry.
 */
export const CLIENT_IP_HEADER = "CF-Connecting-IP";

/** The longest text form of an IPv6 address (with an IPv4 tail): longer input is not an address. */
const MAX_ADDRESS_LENGTH = 45;

/**
 * The caller's address key: a dotted IPv4 address (`203.0.113.7`) or an IPv6
 * /64 (`2001:db8:0:1::/64`); null when the header is missing or is not one
 * address (then per-IP limits do not count this caller).
 */
export function clientIp(request: { headers: Headers }): string | null {
  const header = request.headers.get(CLIENT_IP_HEADER);
  return header === null ? null : ipKey(header);
}

/** The key of one address in text form (see clientIp); null when it is not an IPv4 or IPv6 address. */
export function ipKey(text: string): string | null {
  const address = text.trim();
  if (address.length > MAX_ADDRESS_LENGTH) return null;
  if (!address.includes(":")) return parseIpv4(address)?.join(".") ?? null;
  const groups = parseIpv6(address);
  if (!groups) return null;
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0, g = 0, h = 0] = groups;
  if (a === 0 && b === 0 && c === 0 && d === 0 && e === 0 && f === 0xffff)
    return [g >> 8, g & 0xff, h >> 8, h & 0xff].join(".");
  return `${[a, b, c, d].map((n) => n.toString(16)).join(":")}::/64`;
}

/** Four decimal octets; leading zeros are refused (some parsers read them as octal). */
function parseIpv4(text: string): number[] | null {
  const parts = text.split(".");
  if (parts.length !== 4) return null;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    octets.push(n);
  }
  return octets;
}

/** The eight 16-bit groups (RFC 4291 text forms: `::` once, an IPv4 tail); no zone ids or brackets. */
function parseIpv6(text: string): number[] | null {
  if (!/^[0-9a-fA-F:.]+$/.test(text)) return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const [head = "", tail = ""] = halves;
  if (halves.length === 1) {
    const groups = parseGroups(head, true);
    return groups?.length === 8 ? groups : null;
  }
  const before = parseGroups(head, false);
  const after = parseGroups(tail, true);
  // `::` stands for at least one group of zeros.
  if (!before || !after || before.length + after.length > 7) return null;
  return [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
}

function parseGroups(text: string, ipv4Tail: boolean): number[] | null {
  if (text === "") return [];
  const parts = text.split(":");
  const groups: number[] = [];
  for (const [i, part] of parts.entries()) {
    if (ipv4Tail && i === parts.length - 1 && part.includes(".")) {
      const octets = parseIpv4(part);
      if (!octets) return null;
      const [a = 0, b = 0, c = 0, d = 0] = octets;
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}
