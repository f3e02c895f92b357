'use strict';
/**
 * 1NCE Order Management API simulator for tests, `npm start` and benchmarks.
 * Implementation lives in ./simulator/ (one concern per file); this module re-exports it.
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
