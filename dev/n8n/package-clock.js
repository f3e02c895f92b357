'use strict';
/**
 * Preloaded into real n8n processes by tests (NODE_OPTIONS=--require <this file>, with ONENCE_PACKAGE_SPEED=<n>):
 * runs the installed package's own durations (its 5-minute pacing window, request timeouts, the wait after a
 * firewall block) n times faster, as the jest-side tests do with setClock, so that it matches a simulator
 * whose rate-limit window is compressed by the same factor. n8n itself and 1NCE's Retry-After stay real time.
 *
 * The package is loaded by n8n through require(); once its process-state module is, its clock is set and one line is
 * logged, which the test looks for in every process. Nothing in the shipped package reads this setting.
 */
const Module = require('node:module');
const path = require('node:path');

const speed = Number(process.env.ONENCE_PACKAGE_SPEED);
const PROCESS_STATE = path.join('n8n-nodes-1nce', 'dist', 'nodes', 'OneNce', 'transport', 'processState.js');

if (speed > 0 && speed !== 1) {
	const loadJs = Module._extensions['.js'];
	Module._extensions['.js'] = function (module, filename) {
		loadJs.call(this, module, filename);
		if (!filename.endsWith(PROCESS_STATE)) return;
		const setClock = module.exports && module.exports.setClock;
		// A loud failure if the package's clock moved: otherwise the test would run uncompressed and prove nothing.
		if (typeof setClock !== 'function') throw new Error(`${__filename}: ${filename} exports no setClock to compress`);
		setClock({ speed });
		process.stderr.write(`[1nce package clock] x${speed} in process ${process.pid}\n`);
	};
}
