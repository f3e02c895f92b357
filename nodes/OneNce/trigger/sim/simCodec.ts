/**
 * A sorted set of whole numbers as a short text: the gaps between neighbours in exponential-Golomb code of
 * order `k`, bits packed six to a base64url character. Consecutive numbers (ICCIDs issued in blocks) cost
 * about one bit each; a far outlier costs the logarithm of its gap, not the gap.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map([...ALPHABET].map((c, i) => [c, i]));

export const charOf = (value: number): string => ALPHABET[value];
/** The 6-bit value of a base64url character; -1 for any other character. */
export const valueOf = (char: string): number => VALUE.get(char) ?? -1;

export interface PackedSet {
	/** Smallest member, in decimal (readable, and beyond 2^53 for ICCIDs); undefined for an empty set. */
	first?: string;
	/** Order of the exponential-Golomb code. */
	k: number;
	/** Gaps (minus one) between consecutive members. */
	gaps: string;
}

// Bits are handled as '0'/'1' text: far quicker than bit-by-bit BigInt arithmetic, and ICCIDs exceed 2^53.

/** Bits one gap (given in binary) takes: Elias gamma of (gap >> k) + 1, then the low k bits. */
function codeBits(binary: string, k: number): number {
	const high = binary.length - k;
	// (gap >> k) + 1 gains a digit only when the high part is all ones.
	const width = high <= 0 ? 1 : high + (binary.lastIndexOf('0', high - 1) < 0 ? 1 : 0);
	return 2 * width - 1 + k;
}

/** The order that makes the gaps shortest: near log2 of their mean, checked a few steps either way. */
function bestOrder(gaps: string[]): number {
	if (!gaps.length) return 0;
	const guess = Math.round(gaps.reduce((sum, gap) => sum + gap.length, 0) / gaps.length) - 1;
	let best = { k: 0, bits: Infinity };
	for (let k = Math.max(0, guess - 3); k <= guess + 2; k++) {
		const bits = gaps.reduce((sum, gap) => sum + codeBits(gap, k), 0);
		if (bits < best.bits) best = { k, bits };
	}
	return best.k;
}

function toText(bits: string): string {
	const padded = bits.padEnd(Math.ceil(bits.length / 6) * 6, '0');
	let out = '';
	for (let i = 0; i < padded.length; i += 6) out += ALPHABET[parseInt(padded.slice(i, i + 6), 2)];
	return out;
}

function toBits(text: string): string {
	let out = '';
	for (const char of text) {
		const value = valueOf(char);
		if (value < 0) throw new Error('packed set holds a character outside base64url');
		out += value.toString(2).padStart(6, '0');
	}
	return out;
}

/** `sorted` must ascend strictly and hold no negative number. */
export function packSet(sorted: bigint[]): PackedSet {
	if (!sorted.length) return { k: 0, gaps: '' };
	const gaps = sorted.slice(1).map((value, i) => (value - sorted[i] - 1n).toString(2));
	const k = bestOrder(gaps);
	const parts: string[] = [];
	for (const gap of gaps) {
		const low = k ? gap.slice(-k).padStart(k, '0') : '';
		const q = ((gap.length > k ? BigInt('0b' + gap.slice(0, gap.length - k)) : 0n) + 1n).toString(2);
		parts.push('0'.repeat(q.length - 1), q, low);
	}
	return { first: sorted[0].toString(), k, gaps: toText(parts.join('')) };
}

/** The `count` members of a packed set, ascending; throws when the text cannot be one. */
export function unpackSet(packed: PackedSet, count: number): bigint[] {
	if (count === 0) return [];
	if (packed.first === undefined || !/^\d+$/.test(packed.first)) throw new Error('packed set has no first member');
	const bits = toBits(packed.gaps);
	const k = packed.k;
	const out = [BigInt(packed.first)];
	let at = 0;
	while (out.length < count) {
		const one = bits.indexOf('1', at);
		if (one < 0) throw new Error('packed set ends early');
		const zeros = one - at;
		const end = one + zeros + 1 + k;
		if (end > bits.length) throw new Error('packed set ends early');
		const q = BigInt('0b' + bits.slice(one, one + zeros + 1));
		const gap = ((q - 1n) << BigInt(k)) | (k ? BigInt('0b' + bits.slice(one + zeros + 1, end)) : 0n);
		out.push(out[out.length - 1] + gap + 1n);
		at = end;
	}
	return out;
}
