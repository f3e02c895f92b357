// Makes a fresh clone runnable: installs from the lockfile and builds, quietly, using only Node built-ins.
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { step } = require('./progress');

const root = path.resolve(__dirname, '..');

function newestMtime(dir) {
	let newest = 0;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		const time = entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs;
		if (time > newest) newest = time;
	}
	return newest;
}

/** Runs npm quietly; its output is shown only when it fails. */
function npm(args) {
	return new Promise((resolve, reject) => {
		const child = spawn('npm', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('close', (code) =>
			code === 0 ? resolve() : reject(new Error(`npm ${args.join(' ')} exited ${code}:\n${output.slice(-4000)}`)),
		);
	});
}

async function ensureInstalled() {
	if (fs.existsSync(path.join(root, 'node_modules', 'n8n-core', 'package.json'))) return;
	// npm ci: exactly the lockfile's tree, as CI installs it. n8n's libraries warn about engines (isolated-vm
	// wants Node 22+, unused here): loglevel=error keeps those out.
	await step('Installing dependencies from the lockfile', () => npm(['ci', '--no-audit', '--no-fund', '--loglevel=error']), {
		expected: 'under a minute',
	});
}

async function ensureBuilt() {
	const built = path.join(root, 'dist', 'nodes', 'OneNce', 'OneNce.node.js');
	const sources = Math.max(newestMtime(path.join(root, 'nodes')), newestMtime(path.join(root, 'credentials')));
	if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
	await step('Building the package', () => npm(['run', '--silent', 'build']));
}

module.exports = { root, ensureInstalled, ensureBuilt };
