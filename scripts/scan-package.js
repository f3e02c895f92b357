#!/usr/bin/env node
// n8n's community package scanner, run offline: it can only fetch published packages, so this script
// applies its own analyzePackage() to what it would fetch: the source files and the packed tarball.
'use strict';

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

async function main() {
	const scannerPath = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await import(scannerPath);

	execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-1nce-scan-'));
	try {
		const packed = JSON.parse(
			execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' }),
		)[0];
		const unpacked = path.join(work, 'package');
		fs.mkdirSync(unpacked);
		execFileSync('tar', ['-xzf', path.join(work, packed.filename), '-C', unpacked, '--strip-components=1']);

		const results = [
			['source (nodes/, credentials/, package.json)', await analyzePackage(root, SOURCE_FILE_PATTERNS)],
			[`packed tarball (${packed.filename}, ${packed.entryCount} files)`, await analyzePackage(unpacked, ['**/*.js', 'package.json'])],
		];
		let failed = false;
		for (const [what, result] of results) {
			console.log(`${result.passed ? 'ok  ' : 'FAIL'} community package scan: ${what}`);
			if (!result.passed) {
				failed = true;
				console.log(result.message);
				if (result.details) console.log(result.details);
			}
		}
		process.exitCode = failed ? 1 : 0;
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
