'use strict';
// A child process whose output is kept, with waitForLog(re) and stop(): how the harnesses run n8n, its workers,
// Redis and PostgreSQL.

const { spawn } = require('node:child_process');
const path = require('node:path');

/** A child process whose output is kept, with waitForLog(re) and a promise of its exit. */
function watchedSpawn(cmd, args, opts) {
	const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
	let out = '';
	let exited = null;
	const waiters = new Set();
	const onData = (d) => {
		out += d;
		for (const w of waiters) w();
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exit = new Promise((resolve) => {
		child.on('close', (code, signal) => {
			exited = { code, signal };
			for (const w of waiters) w();
			resolve(exited);
		});
	});
	const waitForLog = (re, ms = 60000, from = 0) =>
		new Promise((resolve, reject) => {
			const check = () => {
				const m = out.slice(from).match(re);
				if (m) return done(), resolve(m);
				if (exited) return done(), reject(new Error(`${path.basename(cmd)} ${args[1] || args[0]} exited (${JSON.stringify(exited)}) before logging ${re}\n${out.slice(-6000)}`));
			};
			const timer = setTimeout(() => (done(), reject(new Error(`no ${re} within ${ms} ms\n${out.slice(-6000)}`))), ms);
			const done = () => (clearTimeout(timer), waiters.delete(check));
			waiters.add(check);
			check();
		});
	const stop = async (signal = 'SIGTERM') => {
		if (exited) return exited;
		child.kill(signal);
		const killer = setTimeout(() => child.kill('SIGKILL'), 20000);
		const r = await exit;
		clearTimeout(killer);
		return r;
	};
	return { child, pid: child.pid, logs: () => out, waitForLog, stop, exit, get exited() { return exited; } };
}

module.exports = { watchedSpawn };
