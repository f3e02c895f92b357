// `npm start`'s second half: a real n8n editor with the package installed, a credential for the simulator
// and the example workflows imported, running until Ctrl-C.
'use strict';

const path = require('node:path');
const { root } = require('./bootstrap');

async function runEditor({ sim }) {
	const { prepareInstance } = require(path.join(root, 'test/e2e/instance'));
	const { freePort } = require(path.join(root, 'test/e2e/n8n-cli'));
	const { signInOwner, OWNER } = require(path.join(root, 'test/e2e/editor'));

	console.log('\nStarting a real n8n 1.x editor with this package. The first run installs n8n into .cache/ (about 4-5 minutes).');
	const instance = await prepareInstance({ major: 1, sim });
	const server = await instance.n8n.start({ port: await freePort() });
	await signInOwner(server.url);
	console.log(`
n8n is running at ${server.url}
  sign in with ${OWNER.email} / ${OWNER.password} (a local demo account)
  the "1NCE API" credential points at the simulator (${sim.url});
  the example workflows "SIM reordering" and "status-change alerts" are imported.
Press Ctrl-C to stop n8n and the simulator.`);
	await new Promise((resolve) => {
		process.once('SIGINT', resolve);
		process.once('SIGTERM', resolve);
	});
	console.log('\nStopping n8n and the simulator...');
	await server.stop();
}

module.exports = { runEditor };
