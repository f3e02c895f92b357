'use strict';
/**
 * Small seeded pseudo-random generator (mulberry32) so data and random faults are reproducible.
 */

/**
 * @typedef {object} Prng
 * @property {() => number} next          float in [0, 1)
 * @property {(min: number, max: number) => number} int   integer in [min, max]
 * @property {<T>(items: readonly T[]) => T} pick
 * @property {(probability: number) => boolean} chance
 * @property {<T>(entries: ReadonlyArray<readonly [T, number]>) => T} weighted  pick by weight
 */

/**
 * @param {number | string} seed
 * @returns {Prng}
 */
function createPrng(seed) {
	let state = hashSeed(seed);
	const next = () => {
		state = (state + 0x6d2b79f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		next,
		int: (min, max) => min + Math.floor(next() * (max - min + 1)),
		pick: (items) => items[Math.floor(next() * items.length)],
		chance: (probability) => next() < probability,
		weighted: (entries) => {
			const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
			let roll = next() * total;
			for (const [value, weight] of entries) {
				roll -= weight;
				if (roll < 0) return value;
			}
			return entries[entries.length - 1][0];
		},
	};
}

/** @param {number | string} seed */
function hashSeed(seed) {
	const text = String(seed);
	let h = 2166136261;
	for (let i = 0; i < text.length; i++) {
		h ^= text.charCodeAt(i);
		h = Math.imul(h, 16777619);
	}
	return h >>> 0;
}

module.exports = { createPrng };
