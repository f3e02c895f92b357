'use strict';
// Drives n8n's editor (1.x and 2.x) in Chromium (playwright-core; see chromium.js for which one): signs in as the
// owner, opens the example workflows and the 1NCE parameter panels, builds a workflow from the node panel's
// search, tests the credential, and takes screenshots.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ensureChromium } = require('./chromium');

const OWNER = { email: 'owner@example.com', firstName: 'Demo', lastName: 'Owner', password: 'Demo-password-1' };

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
	const { executablePath, args } = await ensureChromium();
	const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-1nce-chromium-'));
	const context = await chromium.launchPersistentContext(userDataDir, {
		executablePath,
		headless: true,
		viewport: { width: 1440, height: 900 },
		args,
	});
	return { context, close: async () => { await context.close(); fs.rmSync(userDataDir, { recursive: true, force: true }); } };
}

const NDV_CLOSE = '[data-test-id="back-to-canvas"], [data-test-id="ndv-close-button"]'; // 1.x, 2.x
const CREATOR_ITEM = '[data-test-id="node-creator"] [data-test-id="item-iterator-item"]';

async function openNode(page, name) {
	await page.locator(`[data-node-name="${name}"]`).first().dblclick({ force: true });
	await waitForPanel(page);
}

/** The parameter panel (NDV) is open and has rendered its fields. */
async function waitForPanel(page) {
	await page.locator('[data-test-id="node-parameters"] [data-test-id="parameter-input-resource"], [data-test-id="node-parameters"] [data-test-id="parameter-input-event"]').first().waitFor();
	await page.waitForTimeout(800);
}

async function closeNode(page) {
	await page.locator(NDV_CLOSE).first().click();
	await page.locator('[data-test-id="node-parameters"]').first().waitFor({ state: 'hidden' });
	await page.waitForTimeout(500);
}

/** Visible parameter labels of the open node panel. */
async function parameterLabels(page) {
	return (await page.locator('[data-test-id="node-parameters"] label, [data-test-id="node-parameters"] .n8n-input-label').allInnerTexts())
		.map((text) => text.split('\n')[0].trim())
		.filter((text, i, all) => text && text !== 'Fixed' && text !== 'Expression' && all.indexOf(text) === i);
}

/** The node panel (node creator): types `query` into its search and opens the entry named `name`. */
async function searchNodePanel(page, query, name) {
	const search = page.locator('[data-test-id="node-creator"] input').first();
	await search.waitFor();
	await search.fill(query);
	await page.locator(CREATOR_ITEM, { hasText: name }).first().click();
	await page.locator('[data-test-id="node-creator-category-item"]').first().waitFor();
	await page.waitForTimeout(800);
}

/**
 * Walks the editor as a user would and returns what it saw; screenshots go to `outDir`.
 * Works on n8n 1.x and 2.x (the selectors are n8n's data-test-id attributes, which both use).
 * @param {{ baseUrl: string, workflows: Record<string, string>, credentialId: string, outDir: string }} options
 */
async function tourEditor({ baseUrl, workflows, credentialId, outDir }) {
	fs.mkdirSync(outDir, { recursive: true });
	const shot = (page, name) => page.screenshot({ path: path.join(outDir, name) });
	const { value } = await signInOwner(baseUrl);
	const browser = await launchBrowser();
	const seen = {};
	let page;
	try {
		await browser.context.addCookies([{ name: 'n8n-auth', value, url: baseUrl }]);
		page = await browser.context.newPage();
		// Generous: in CI the editor loads while other n8n processes run on the same two cores.
		page.setDefaultTimeout(120_000);

		// The SIM reordering example: the 1NCE node's operations, then the Create fields.
		await page.goto(`${baseUrl}/workflow/${workflows['sim-reordering']}`);
		await page.locator('[data-node-name="Recent reorders"]').first().waitFor();
		await page.waitForTimeout(1000);
		await shot(page, 'workflow-sim-reordering.png');

		await openNode(page, 'Recent reorders');
		await page.locator('[data-test-id="parameter-input-operation"]').first().click();
		await page.locator('.el-select-dropdown__item:visible', { hasText: 'Get Many' }).first().waitFor();
		seen.operations = (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await page.waitForTimeout(700); // the dropdown fades in
		await shot(page, 'node-operations.png');
		await page.keyboard.press('Escape');
		await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' });
		seen.getManyFields = await parameterLabels(page);
		await closeNode(page);

		await openNode(page, 'Order SIMs');
		seen.createFields = await parameterLabels(page);
		await shot(page, 'create-fields.png');
		// The product picker lists 1NCE's products (from the simulator's /v1/products) by name.
		await page.locator('[data-test-id="rlc-input"]').first().click();
		await page.locator('[data-test-id="rlc-item"]').first().waitFor();
		await page.waitForTimeout(700);
		seen.productChoices = (await page.locator('[data-test-id="rlc-item"]').allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await shot(page, 'product-picker.png');
		await page.keyboard.press('Escape');
		await closeNode(page);

		// The SIM resource: its operations (reads, changes and Top Up) and the Count by Status output.
		await openNode(page, 'Count SIMs');
		seen.simFields = await parameterLabels(page);
		await page.locator('[data-test-id="parameter-input-operation"]').first().click();
		await page.locator('.el-select-dropdown__item:visible', { hasText: 'Get Many' }).first().waitFor();
		seen.simOperations = (await page.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await page.waitForTimeout(700); // the dropdown fades in
		await shot(page, 'sim-operations.png');
		await page.keyboard.press('Escape');
		await page.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' });
		await page.waitForTimeout(500);
		await shot(page, 'sim-resource.png');
		await closeNode(page);

		// The status-change alerts example: the 1NCE Trigger's fields.
		await page.goto(`${baseUrl}/workflow/${workflows['status-change-alerts']}`);
		await page.locator('[data-node-name="Order status changed"]').first().waitFor();
		await page.waitForTimeout(800);
		await openNode(page, 'Order status changed');
		seen.triggerFields = await parameterLabels(page);
		await shot(page, 'trigger.png');
		await closeNode(page);

		// A new workflow built from the node panel: search "1NCE", add the trigger, then a Get Many action.
		// (Its own tab, closed without saving: 1.x asks before leaving an unsaved workflow; 2.x saves it itself.)
		const draft = await browser.context.newPage();
		draft.setDefaultTimeout(120_000);
		page = draft;
		await draft.goto(`${baseUrl}/workflow/new`);
		await draft.locator('[data-test-id="canvas-plus-button"]').first().click();
		await searchNodePanel(draft, '1NCE', '1NCE');
		seen.triggerEntries = (await draft.locator(CREATOR_ITEM).allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await draft.locator(CREATOR_ITEM, { hasText: 'On order status changed' }).first().click();
		await waitForPanel(draft);
		seen.addedTriggerFields = await parameterLabels(draft);
		await closeNode(draft);

		await draft.locator('[data-test-id="node-creator-plus-button"]').first().click();
		await searchNodePanel(draft, '1NCE', '1NCE');
		await draft.locator(CREATOR_ITEM, { hasText: 'Get many orders' }).first().waitFor();
		// Next to an existing trigger n8n folds the Triggers group; unfold it so the picture shows all four entries.
		if (!(await draft.locator(CREATOR_ITEM, { hasText: 'On order status changed' }).first().isVisible())) {
			await draft.locator('[data-test-id="node-creator-category-item"]', { hasText: 'Triggers' }).first().click();
			await draft.locator(CREATOR_ITEM, { hasText: 'On order status changed' }).first().waitFor();
			await draft.waitForTimeout(500);
		}
		seen.actions = (await draft.locator(CREATOR_ITEM).allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await shot(draft, 'node-search.png');
		await draft.locator(CREATOR_ITEM, { hasText: 'Get many orders' }).first().click();
		await waitForPanel(draft);
		seen.addedNodeOperation = (await draft.locator('[data-test-id="parameter-input-operation"] input').first().inputValue()).trim();
		seen.addedNodeFields = await parameterLabels(draft);
		await closeNode(draft);
		await draft.locator('[data-node-name="Get many orders"]').first().waitFor();
		seen.draftNodes = await draft.locator('[data-node-name]').evaluateAll((nodes) => [...new Set(nodes.map((n) => n.getAttribute('data-node-name')))]);
		await shot(draft, 'new-workflow.png');

		// Update, added from the node panel: the ICCID's hint says that it changes a live SIM.
		await draft.locator('[data-test-id="node-creator-plus-button"]').first().click();
		await searchNodePanel(draft, '1NCE', '1NCE');
		await draft.locator(CREATOR_ITEM, { hasText: 'Update a SIM' }).first().click();
		await waitForPanel(draft);
		seen.updateFields = await parameterLabels(draft);
		const iccidLabel = draft.locator('[data-test-id="node-parameters"] [data-test-id="input-label"]', { hasText: 'ICCID' }).first();
		await iccidLabel.hover();
		await iccidLabel.locator('[class*="infoIcon"]').first().hover();
		// 1.x draws tooltips with Element Plus (.el-popper), 2.x with its own tooltip (tooltip-content).
		const hint = draft.locator('.el-popper:visible, [data-test-id="tooltip-content"]:visible', { hasText: 'live SIM' }).first();
		await hint.waitFor();
		seen.updateHint = (await hint.innerText()).trim();
		await draft.waitForTimeout(500);
		await shot(draft, 'sim-update.png');
		await closeNode(draft);

		// The added trigger's Event picker (orders and SIM events), then Data Quota Below with its threshold.
		// Last in this tab, so the other pictures show the trigger as added. Options dropdowns are Element Plus
		// selects on both majors (unlike 2.x's tooltips).
		await openNode(draft, '1NCE Trigger');
		seen.defaultEvent = (await draft.locator('[data-test-id="parameter-input-event"] input').first().inputValue()).trim();
		await draft.locator('[data-test-id="parameter-input-event"]').first().click();
		await draft.locator('.el-select-dropdown__item:visible', { hasText: 'New SIM' }).first().waitFor();
		seen.events = (await draft.locator('.el-select-dropdown__item:visible').allInnerTexts()).map((t) => t.split('\n')[0].trim());
		await draft.waitForTimeout(700); // the dropdown fades in
		await shot(draft, 'trigger-events.png');
		await draft.locator('.el-select-dropdown__item:visible', { hasText: 'Data Quota Below' }).first().click();
		await draft.locator('.el-select-dropdown__item:visible').first().waitFor({ state: 'hidden' });
		await draft.locator('[data-test-id="parameter-input-dataQuotaBelowMb"]').first().waitFor();
		await draft.waitForTimeout(500);
		seen.dataQuotaBelowFields = await parameterLabels(draft);
		await shot(draft, 'trigger-data-quota-below.png');
		await draft.close();
		page = browser.context.pages()[0];

		// The credential dialog runs the credential's test (login, list one order) when it opens.
		await page.goto(`${baseUrl}/home/credentials/${credentialId}`);
		const result = page.getByText(/Connection tested successfully|Couldn.t connect/).first();
		await result.waitFor();
		seen.credentialTest = (await result.innerText()).trim();
		await shot(page, 'credential-test.png');
	} catch (error) {
		// What the page showed when a step failed, for whoever reads the CI log.
		if (page && !page.isClosed()) await page.screenshot({ path: path.join(outDir, 'failure.png') }).catch(() => {});
		throw error;
	} finally {
		await browser.close();
	}
	return seen;
}

module.exports = { OWNER, signInOwner, launchBrowser, tourEditor };

// `node dev/n8n/editor.js [outDir]`: the tour against a fresh n8n and the simulator, writing the README's
// screenshots (default docs/screenshots). N8N_E2E_MAJOR=2 tours 2.x.
if (require.main === module) {
	(async () => {
		const { startSimulator } = require('../simulator');
		const { prepareInstance } = require('./instance');
		const { freePort } = require('./n8n-cli');
		const started = Date.now();
		const sim = await startSimulator({});
		sim.seedOrders(25);
		const instance = await prepareInstance({ major: Number(process.env.N8N_E2E_MAJOR ?? 1), sim });
		const server = await instance.n8n.start({ port: await freePort() });
		try {
			const outDir = path.resolve(process.argv[2] ?? 'docs/screenshots');
			const tourStarted = Date.now();
			console.log(JSON.stringify(await tourEditor({ baseUrl: server.url, workflows: instance.workflows, credentialId: instance.credential.id, outDir }), null, 1));
			console.log(`tour ${Date.now() - tourStarted} ms, in all ${Date.now() - started} ms; screenshots in ${outDir}`);
		} finally {
			await server.stop();
			await sim.close();
			fs.rmSync(instance.userFolder, { recursive: true, force: true });
		}
	})().catch((error) => {
		console.error(error);
		process.exitCode = 1;
	});
}
