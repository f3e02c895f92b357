// One line per step for `npm start`: what runs, then how long it took. A long step shows its elapsed time
// (in place on a terminal, every 30 s otherwise) so a first run's installs never look stuck.
'use strict';

const seconds = (ms) => `${Math.round(ms / 1000)} s`;

/**
 * Runs `fn` as a step called `label`. `fn` gets `note(text)` to show what the step is doing now.
 * `expected` (e.g. "4-5 minutes") is shown while it runs.
 */
async function step(label, fn, { expected } = {}) {
	const tty = process.stdout.isTTY;
	const started = Date.now();
	let phase = '';
	let lastPrinted = started;
	const line = () =>
		`${label}... ${seconds(Date.now() - started)}${expected ? ` (usually ${expected})` : ''}${phase ? `: ${phase}` : ''}`;
	if (!tty) process.stdout.write(`${label}...\n`);
	const timer = setInterval(() => {
		if (tty) process.stdout.write(`\r\x1b[2K${line()}`);
		else if (Date.now() - lastPrinted >= 30_000) {
			lastPrinted = Date.now();
			process.stdout.write(`  ${line()}\n`);
		}
	}, 1000);
	const note = (text) => {
		phase = text;
	};
	try {
		const result = await fn(note);
		const done = `${label}: done in ${seconds(Date.now() - started)}`;
		process.stdout.write(tty ? `\r\x1b[2K${done}\n` : `${done}\n`);
		return result;
	} catch (error) {
		process.stdout.write(tty ? `\r\x1b[2K${label}: failed\n` : `${label}: failed\n`);
		throw error;
	} finally {
		clearInterval(timer);
	}
}

module.exports = { step };
