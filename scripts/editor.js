// `npm start`'s second half: a real n8n 1.x editor with the package installed as a Community Nodes install would,
// a 1NCE API credential for the simulator and the example workflows imported, running until Ctrl-C.
'use strict';

const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');
const { root } = require('./bootstrap');

/** n8n's usual port when it is free, so the address is the familiar one; any free port otherwise. */
function pickPort(freePort) {
	return new Promise((resolve) => {
		const probe = net.createServer();
		probe.once('error', () => resolve(freePort()));
		probe.listen(5678, '127.0.0.1', () => probe.close(() => resolve(5678)));
	});
}

/** Resolves on the first Ctrl-C (SIGINT) or SIGTERM, or when n8n exits by itself. */
function untilStopped(server) {
	return new Promise((resolve) => {
		const done = (why) => {
			process.removeListener('SIGINT', onSignal);
			process.removeListener('SIGTERM', onSignal);
			clearInterval(watch);
			resolve(why);
		};
		const onSignal = () => done('signal');
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		// n8n shares the terminal's process group, so Ctrl-C reaches it too; watch for it exiting on its own.
		const watch = setInterval(() => {
			if (!isAlive(server.pid)) done('n8n exited');
		}, 1000);
	});
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

async function runEditor({ sim }) {
	const { CACHE_ROOT, setLogSink } = require(path.join(root, 'dev/n8n/n8n-install'));
	const { prepareInstance } = require(path.join(root, 'dev/n8n/instance'));
	const { freePort } = require(path.join(root, 'dev/n8n/n8n-cli'));
	const { signInOwner, OWNER } = require(path.join(root, 'dev/n8n/editor'));
	const { step } = require('./progress');
	const installed = fs.existsSync(path.join(CACHE_ROOT, 'n8n-1', '.installed.json'));
	if (!installed) {
		console.log(
			`\nFirst run: a real n8n 1.x is installed into ${path.relative(process.cwd(), CACHE_ROOT) || CACHE_ROOT}/ for the editor ` +
				'(1.7 GB, once; `npm start -- --no-editor` skips the editor).',
		);
	}
	const started = Date.now();
	const instance = await step(
		installed ? 'Preparing n8n 1.x with this package' : 'Installing n8n 1.x and this package',
		(note) => {
			setLogSink((message) => note(message.replace(/ into \/\S+/, '')));
			return prepareInstance({ major: 1, sim });
		},
		{ expected: installed ? 'a few seconds' : '4-5 minutes' },
	);
	let server;
	try {
		const port = await pickPort(freePort);
		server = await step('Starting the n8n editor', () => instance.n8n.start({ port }), {
			expected: '20-30 seconds',
		});
		// A fresh n8n asks for an owner account on the first visit; create it so the login below just works.
		await signInOwner(server.url);
		console.log(`
n8n ${instance.inst.version} is running at ${server.url}  (ready in ${Math.round((Date.now() - started) / 1000)} s)
  sign in with  ${OWNER.email}  /  ${OWNER.password}   (a local demo account of this throwaway instance)
  the "1NCE API" credential points at the simulator (${sim.url});
  the example workflows are imported:
${Object.entries(instance.workflows)
	.map(([file, id]) => `    ${server.url}/workflow/${id}  (examples/${file}.json)`)
	.join('\n')}
  add the 1NCE node or the 1NCE Trigger from the node panel: search "1NCE".
The n8n user folder is ${instance.userFolder} and is deleted when you stop.
Press Ctrl-C to stop n8n and the simulator.`);
		const why = await untilStopped(server);
		console.log(why === 'signal' ? '\nStopping n8n and the simulator...' : '\nn8n stopped by itself; stopping the simulator.');
		if (why !== 'signal') process.stderr.write(server.logs().slice(-3000));
	} finally {
		if (server) await server.stop();
		fs.rmSync(instance.userFolder, { recursive: true, force: true });
	}
}

module.exports = { runEditor };
