/**
 * IPv4 networks checked by arithmetic. `net.BlockList.check` builds a native `SocketAddress` for
 * every call, which costs more than the rest of a geo look-up; two checks run on every hit.
 */

/** The address as an unsigned 32-bit number; `address` must be dotted-quad (`isIP` = 4). */
function toUint32(address: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < address.length; i++) {
    const code = address.charCodeAt(i);
    if (code === 46 /* . */) {
      value = value * 256 + octet;
      octet = 0;
    } else {
      octet = octet * 10 + (code - 48);
    }
  }
  return value * 256 + octet;
}

/** A fixed set of IPv4 networks (base address and prefix length). */
export class Ipv4Ranges {
  private readonly networks: { base: number; mask: number }[];

  constructor(networks: readonly (readonly [string, number])[]) {
    this.networks = networks.map(([address, prefix]) => {
      // `>>> 0` keeps the 32-bit masks unsigned; a /0 masks nothing.
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      return { base: (toUint32(address) & mask) >>> 0, mask };
    });
  }

  /** Whether a dotted-quad address (one `net.isIP` calls version 4) lies in a network. */
  includes(address: string): boolean {
    const value = toUint32(address);
    for (const { base, mask } of this.networks) {
      if ((value & mask) >>> 0 === base) return true;
    }
    return false;
  }
}
