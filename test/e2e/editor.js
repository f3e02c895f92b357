'use strict';
// Drives n8n's editor in Debian's Chromium (playwright-core, no browser download): signs in as the owner,
// opens the example workflows and the 1NCE parameter panels, tests the credential, and takes screenshots.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-password-1' };
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

async function rest(url, method, body, cookie) {
	const response = await fetch(url, {
		method,
		headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
		body: body ? JSON.stringify(body) : undefined,
	});
	const text = await response.text();
	return { status: response.status, text, cookie: response.headers.get('set-cookie') };
}

/** Creates the owner account on a fresh n8n (local only) and returns the auth cookie. */
async function signInOwner(baseUrl) {
	await rest(`${baseUrl}/rest/owner/setup`, 'POST', OWNER);
	let login = await rest(`${baseUrl}/rest/login`, 'POST', { emailOrLdapLoginId: OWNER.email, password: OWNER.password });
	if (login.status !== 200) login = await rest(`${baseUrl}/rest/login`, 'POST', { email: OWNER.email, password: OWNER.password });
	if (login.status !== 200 || !login.cookie) throw new Error(`n8n login failed: ${login.status} ${login.text.slice(0, 200)}`);
	const auth = /n8n-auth=[^;]+/.exec(login.cookie);
	return { cookie: auth[0], value: auth[0].slice('n8n-auth='.length) };
}

async function launchBrowser() {
	const { chromium } = require('playwright-core');
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-1nce-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath: CHROMIUM,
		headless: true,
		viewport: { width: 1440, height: 900 },
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	return { context, close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); } };
}

async function openNode(page, name) {
	await page.locator(`[data-node-name="${name}"]`).first().dblclick({ force: true });
	await page.getByText('Parameters', { exact: true }).first().waitFor();
	await page.waitForTimeout(800);
}

async function closeNode(page) {
	await page.getByText('Back to canvas').first().click();
	await page.waitForTimeout(500);
}

/** Visible parameter labels of the open node panel. */
async function parameterLabels(page) {
	return (await page.locator('[data-test-id="node-parameters"] label, [data-test-id="node-parameters"] .n8n-input-label').allInnerTexts())
		.map((text) => text.split('\n')[0].trim())
		.filter((text, i, all) => text && text !== 'Fixed' && text !== 'Expression' && all.indexOf(text) === i);
}

/**
 * Walks the editor as a user would and returns what it saw; screenshots go to `outDir`.
 * @param {{ baseUrl: string, workflows: Record<string, string>, credentialId: string, outDir: string }} options
 */
async function tourEditor({ baseUrl, workflows, credentialId, outDir }) {
	fs.mkdirSync(outDir, { recursive: true });
	const shot = (page, name) => page.screenshot({ path: path.join(outDir, name) });
	const { value } = await signInOwner(baseUrl);
	const browser = await launchBrowser();
	const seen = {};
	try {
		await browser.context.addCookies([{ name: 'n8n-auth', value, url: baseUrl }]);
		const page = await browser.context.newPage();
		// Generous: in CI the editor loads while other n8n processes run on the same two cores.
		page.setDefaultTimeout(120_000);

		await page.goto(`${baseUrl}/workflow/${workflows['sim-reordering']}`);
		await page.locator('[data-node-name="All orders"]').first().waitFor();
		await page.waitForTimeout(1000);
		await shot(page, 'workflow-sim-reordering.png');

		await openNode(page, 'All orders');
		await page.locator('[data-test-id="parameter-input-operation"]').first().click();
		await page.locator('.el-select-dropdown__item:visible', { hasText: 'Get Many' }).first().waitFor({ timeout: 120_000 });
		seen.operations = (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await shot(page, 'node-operations.png');
		await page.keyboard.press('Escape');
		seen.getManyFields = await parameterLabels(page);
		await closeNode(page);

		await openNode(page, 'Order 10 SIMs');
		seen.createFields = await parameterLabels(page);
		await shot(page, 'create-fields.png');
		await closeNode(page);

		await page.goto(`${baseUrl}/workflow/${workflows['status-change-alerts']}`);
		await page.locator('[data-node-name="Order status changed"]').first().waitFor();
		await page.waitForTimeout(800);
		await openNode(page, 'Order status changed');
		seen.triggerFields = await parameterLabels(page);
		await shot(page, 'trigger.png');
		await closeNode(page);

		await page.goto(`${baseUrl}/home/credentials/${credentialId}`);
		await page.getByText(/Connection tested successfully|Couldn.t connect/).first().waitFor({ timeout: 120_000 });
		seen.credentialTest = (await page.getByText(/Connection tested successfully|Couldn.t connect/).first().innerText()).trim();
		await shot(page, 'credential-test.png');
	} catch (error) {
		// What the page showed when a step failed, for whoever reads the CI log.
		const [page] = browser.context.pages();
		if (page) await page.screenshot({ path: path.join(outDir, 'failure.png') }).catch(() => {});
		throw error;
	} finally {
		await browser.close();
	}
	return seen;
}

module.exports = { OWNER, signInOwner, launchBrowser, tourEditor };

// `node test/e2e/editor.js <outDir>`: the tour against a fresh n8n 1.x and the simulator (the README's screenshots).
if (require.main === module) {
	(async () => {
		const { startSimulator } = require('../support/simulator');
		const { prepareInstance } = require('./instance');
		const { freePort } = require('./n8n-cli');
		const sim = await startSimulator({});
		sim.seedOrders(25);
		const instance = await prepareInstance({ major: Number(process.env.N8N_E2E_MAJOR ?? 1), sim });
		const server = await instance.n8n.start({ port: await freePort() });
		try {
			const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
			console.log(JSON.stringify(await tourEditor({ baseUrl: server.url, workflows: instance.workflows, credentialId: instance.credential.id, outDir }), null, 1));
		} finally {
			await server.stop();
			await sim.close();
		}
	})().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
