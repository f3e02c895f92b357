'use strict';
/**
 * 1NCE Order Management API simulator for tests, `npm start` and benchmarks.
 * Implementation lives beside this file (one concern per file); this module re-exports it.
 *
 *   const { startSimulator } = require('./dev/simulator');
 *   const sim = await startSimulator({ seed: 1 });
 *   sim.seedOrders(25);
 *   // ... talk to sim.url ...
 *   await sim.close();
 */
const { startSimulator } = require('./server');
const { resolveSpecPath, loadSpecDocument, normalizeExclusiveBounds, getSpecApi } = require('./spec');
const { FAULT_KINDS } = require('./faults');
const { SORT_KEYS } = require('./orders');

// The simulator's public types, for TypeScript tests (typed JSDoc; tsconfig checks these files).
/** @typedef {import('./faults').FaultKind} FaultKind */
/** @typedef {import('./faults').FaultSpec} FaultSpec */
/** @typedef {import('./faults').RandomFaultConfig} RandomFaultConfig */
/** @typedef {import('./rate-limit').RateLimitConfig} RateLimitConfig */
/** @typedef {import('./server').SimulatorOptions} SimulatorOptions */
/** @typedef {import('./orders').Order} SimOrder */
/** @typedef {import('./products').Product} SimProduct */
/** @typedef {import('./sims').Sim} SimCard */
/** @typedef {import('./sims').SeedSimsOptions} SeedSimsOptions */
/** @typedef {Awaited<ReturnType<typeof startSimulator>>} Simulator */

module.exports = {
	startSimulator,
	// Spec helpers, reusable by other tests that validate traffic against the same contract.
	resolveSpecPath,
	loadSpecDocument,
	normalizeExclusiveBounds,
	getSpecApi,
	FAULT_KINDS,
	SORT_KEYS,
};
