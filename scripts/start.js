#!/usr/bin/env node
// `npm start`: the package's main job on the embedded 1NCE simulator, no 1NCE account needed.
// First the example flow in n8n's engine, then a real n8n editor to try it in (skip with `-- --no-editor`).
'use strict';

const path = require('node:path');
const { root, ensureInstalled, ensureBuilt } = require('./bootstrap');

async function main() {
	await ensureInstalled();
	await ensureBuilt();
	const { startSimulator } = require(path.join(root, 'dev/simulator'));
	const { runDemoFlow } = require('./demo-flow');

	const sim = await startSimulator({ createResponse: 'location201' });
	sim.seedOrders(25);
	console.log(`1NCE simulator on ${sim.url} with ${sim.orders.length} orders; running the example flow in n8n's engine.`);
	try {
		await runDemoFlow({ root, sim });
		if (!process.argv.includes('--no-editor')) await require('./editor').runEditor({ sim });
	} finally {
		await sim.close();
	}
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
