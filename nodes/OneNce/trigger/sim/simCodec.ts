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

const bitLength = (n: bigint): number => n.toString(2).length;

/** Bits one gap takes: Elias gamma of (gap >> k) + 1, then the low k bits. */
function codeBits(gap: bigint, k: number): number {
	return 2 * bitLength((gap >> BigInt(k)) + 1n) - 1 + k;
}

class BitWriter {
	private chars: string[] = [];
	private acc = 0;
	private used = 0;

	write(value: bigint, bits: number): void {
		for (let i = bits - 1; i >= 0; i--) {
			this.acc = (this.acc << 1) | Number((value >> BigInt(i)) & 1n);
			if (++this.used === 6) {
				this.chars.push(ALPHABET[this.acc]);
				this.acc = 0;
				this.used = 0;
			}
		}
	}

	text(): string {
		return this.used ? this.chars.join('') + ALPHABET[this.acc << (6 - this.used)] : this.chars.join('');
	}
}

class BitReader {
	private pos = 0;
	constructor(private readonly text: string) {}

	bit(): number {
		const at = this.pos++;
		if (at >= this.text.length * 6) throw new Error('packed set ends early');
		const value = valueOf(this.text[Math.floor(at / 6)]);
		if (value < 0) throw new Error('packed set holds a character outside base64url');
		return (value >> (5 - (at % 6))) & 1;
	}

	read(bits: number): bigint {
		let value = 0n;
		for (let i = 0; i < bits; i++) value = (value << 1n) | BigInt(this.bit());
		return value;
	}
}

function gapsOf(sorted: bigint[]): bigint[] {
	return sorted.slice(1).map((value, i) => value - sorted[i] - 1n);
}

/** The order that makes the gaps shortest: near log2 of their mean, checked a few steps either way. */
function bestOrder(gaps: bigint[]): number {
	if (!gaps.length) return 0;
	const mean = gaps.reduce((a, b) => a + b, 0n) / BigInt(gaps.length);
	const guess = bitLength(mean) - 1;
	let best = { k: 0, bits: Infinity };
	for (let k = Math.max(0, guess - 2); k <= guess + 2; k++) {
		const bits = gaps.reduce((sum, gap) => sum + codeBits(gap, k), 0);
		if (bits < best.bits) best = { k, bits };
	}
	return best.k;
}

/** `sorted` must ascend strictly and hold no negative number. */
export function packSet(sorted: bigint[]): PackedSet {
	if (!sorted.length) return { k: 0, gaps: '' };
	const gaps = gapsOf(sorted);
	const k = bestOrder(gaps);
	const writer = new BitWriter();
	for (const gap of gaps) {
		const q = (gap >> BigInt(k)) + 1n;
		const width = bitLength(q);
		writer.write(0n, width - 1);
		writer.write(q, width);
		writer.write(gap, k);
	}
	return { first: sorted[0].toString(), k, gaps: writer.text() };
}

/** The `count` members of a packed set, ascending; throws when the text cannot be one. */
export function unpackSet(packed: PackedSet, count: number): bigint[] {
	if (count === 0) return [];
	if (packed.first === undefined || !/^\d+$/.test(packed.first)) throw new Error('packed set has no first member');
	const reader = new BitReader(packed.gaps);
	const out = [BigInt(packed.first)];
	const mask = (1n << BigInt(packed.k)) - 1n;
	while (out.length < count) {
		let zeros = 0;
		while (reader.bit() === 0) {
			if (++zeros > 256) throw new Error('packed set holds an impossible gap');
		}
		const q = (1n << BigInt(zeros)) | reader.read(zeros);
		const gap = ((q - 1n) << BigInt(packed.k)) | (reader.read(packed.k) & mask);
		out.push(out[out.length - 1] + gap + 1n);
	}
	return out;
}
