'use strict';
/**
 * 1NCE Management API simulator (orders, products, SIMs, /oauth/token) for tests, `npm start` and benchmarks.
 * Implementation lives beside this file (one concern per file); this module re-exports it.
 *
 *   const { startSimulator, simRateLimitOf } = require('./dev/simulator');
 *   const sim = await startSimulator({ seed: 1, simRateLimit: simRateLimitOf(1) });
 *   sim.seedOrders(25);
 *   sim.seedSims(1000);
 *   // ... talk to sim.url ...
 *   await sim.close();
 *
 * Control methods of `sim` (direct calls, no HTTP, never counted or rate limited):
 * - orders: seedOrders(n), addOrder(partial), setOrderStatus(number, status), setCreateResponse(mode);
 *   `orders`, `created` (POST /v1/orders bodies).
 * - products: setProducts(list); `products`.
 * - SIMs: seedSims(n, { enabledShare, labels }) replaces all SIMs (same seed, same SIMs);
 *   addSim(partial) appends one (Disabled, unlabelled unless given); removeSim(iccid);
 *   updateSim(iccid, partial) merges any SIM_card fields (status, label, imei_lock, current_quota, quota_status…);
 *   setSimQuota(iccid, { data, sms }) sets what is left and derives quota_status / quota_status_SMS
 *   (id 0 more than 20 % of 500 MB / 250 SMS, 1 less, 2 none);
 *   setSimConnectivity(iccid, 'ONLINE' | 'ATTACHED' | 'OFFLINE') overrides what /status reports;
 *   addSimEvent(iccid, fields) adds to /events; addMoSms(iccid, fields) adds an SMS from the device;
 *   smsOf(iccid); `sims` (live array), `topups` ({ iccid, payment_method, order_number } per Top Up;
 *   its TOPUP order is in `orders`, so GET /v1/orders and the order trigger see it).
 * - limits: setRateLimit(config) on orders and products, setSimRateLimit(config) on every /v1/sims* request
 *   (simRateLimitOf(speed): 1NCE's 10 per second, its window divided by the package clock's speed).
 * - faults (any path, SIM paths included, e.g. { kind: 'resetAfterProcessing', method: 'POST',
 *   path: '/v1/sims/{iccid}/topup' }): injectFault(spec), setRandomFaults(config), clearFaults(), pendingFaults.
 * - connections: refuseConnections() stops listening (new connections get ECONNREFUSED, idle keep-alive ones
 *   are closed), acceptConnections() listens again on the same port; setLatency(ms); close().
 * - tokens and traffic: expireTokens(), issueToken(), counts, resourceCounts, requests, validationErrors,
 *   onRequest(listener), resetCounts().
 */
const { startSimulator } = require('./server');
const { resolveSpecPath, loadSpecDocument, normalizeExclusiveBounds, getSpecApi } = require('./spec');
const { FAULT_KINDS } = require('./faults');
const { simRateLimitOf } = require('./rate-limit');
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
	simRateLimitOf,
};
