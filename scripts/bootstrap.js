// Makes a fresh clone runnable: installs from the lockfile and builds, using only Node built-ins.
'use strict';

const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

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

function ensureInstalled() {
	if (fs.existsSync(path.join(root, 'node_modules', 'n8n-core', 'package.json'))) return;
	// Not `npm ci`: see .ci/run for why; with the lockfile present npm install keeps to it.
	console.log('Installing dependencies from the lockfile...');
	execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
}

function ensureBuilt() {
	const built = path.join(root, 'dist', 'nodes', 'OneNce', 'OneNce.node.js');
	const sources = Math.max(newestMtime(path.join(root, 'nodes')), newestMtime(path.join(root, 'credentials')));
	if (fs.existsSync(built) && fs.statSync(built).mtimeMs >= sources) return;
	console.log('Building the package (npm run build)...');
	execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });
}

module.exports = { root, ensureInstalled, ensureBuilt };
