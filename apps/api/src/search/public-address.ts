import { isIPv4, isIPv6 } from 'node:net';

/** IPv4 ranges that never lead to the public internet: [network, prefix length]. */
const NON_PUBLIC_IPV4: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network", 0.0.0.0
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, including the cloud metadata address 169.254.169.254
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and the broadcast address
];

function ipv4Number(address: string): number {
  return address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function isPublicIpv4(address: string): boolean {
  const value = ipv4Number(address);
  return NON_PUBLIC_IPV4.every(([network, prefix]) => {
    const size = 2 ** (32 - prefix);
    const start = ipv4Number(network);
    return value < start || value >= start + size;
  });
}

/** The 16 bytes of a valid IPv6 address (zone id dropped, a dotted IPv4 tail allowed). */
function ipv6Bytes(address: string): number[] {
  let text = address.split('%')[0] ?? address;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text)?.[1];
  if (dotted) {
    const value = ipv4Number(dotted);
    text = `${text.slice(0, -dotted.length)}${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = Array.from({ length: 8 - headGroups.length - tailGroups.length }, () => '0');
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];
  return groups.flatMap((group) => {
    const value = Number.parseInt(group, 16);
    return [value >> 8, value & 0xff];
  });
}

function ipv4From(bytes: number[]): string {
  return bytes.join('.');
}

function isPublicIpv6(address: string): boolean {
  const bytes = ipv6Bytes(address);
  const startsWith = (prefix: number[]) => prefix.every((byte, index) => bytes[index] === byte);
  const tenZeroBytes = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  // IPv4 inside IPv6 reaches that IPv4 address: judge the embedded one.
  if (startsWith([...tenZeroBytes, 0xff, 0xff])) return isPublicIpv4(ipv4From(bytes.slice(12))); // ::ffff:a.b.c.d
  if (startsWith([0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0])) {
    return isPublicIpv4(ipv4From(bytes.slice(12))); // NAT64 64:ff9b::a.b.c.d
  }
  if (startsWith([0x20, 0x02])) return isPublicIpv4(ipv4From(bytes.slice(2, 6))); // 6to4 2002:a.b.c.d::
  const first = bytes[0] ?? 0;
  // Only global unicast (2000::/3) is public; ::, ::1, fc00::/7, fe80::/10, ff00::/8 and the rest are not.
  if ((first & 0xe0) !== 0x20) return false;
  if (startsWith([0x20, 0x01, 0x0d, 0xb8])) return false; // documentation 2001:db8::/32
  if (startsWith([0x20, 0x01]) && ((bytes[2] ?? 0) & 0xfe) === 0) return false; // 2001::/23 IETF
  return true;
}

/**
 * Whether an IP address is on the public internet, and so may be fetched for a model: loopback,
 * private, link-local (cloud metadata), carrier-grade NAT, multicast, reserved and unspecified
 * addresses are not, nor IPv6 forms that embed such an IPv4 address. Anything that is not an IP is not.
 */
export function isPublicAddress(ip: string): boolean {
  const address = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  if (isIPv4(address)) return isPublicIpv4(address);
  if (isIPv6(address)) return isPublicIpv6(address);
  return false;
}
