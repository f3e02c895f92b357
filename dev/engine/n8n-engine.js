// Runs the package's nodes inside n8n's own execution engine (n8n-core's WorkflowExecute and PollContext),
// with a credentials helper that behaves like the n8n CLI's: preAuthentication fills the expirable token,
// the store keeps it, and the generic `authenticate` block is applied through n8n's expression engine.
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

// n8n-core writes its settings below N8N_USER_FOLDER as soon as it loads: keep that out of the home folder.
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';
process.env.N8N_ENCRYPTION_KEY ??= 'n8n-nodes-1nce-tests';
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-1nce-engine-'));
}

const { Workflow, ICredentialsHelper, createDeferredPromise } = require('n8n-workflow');
const { WorkflowExecute, ExecutionLifecycleHooks, PollContext, Credentials } = require('n8n-core');
const { Container } = require('@n8n/di');
const { SSHClientsManager } = require('n8n-core/dist/execution-engine/ssh-clients-manager');

const { asAiTool, TestAgent } = require('./agent-tools');

/** Stops the 60-second cleanup interval n8n-core starts with its first node execution. */
function shutdownEngine() {
	if (Container.has(SSHClientsManager)) Container.get(SSHClientsManager).onShutdown();
}

/** Credentials as n8n stores them: one record per id, updated by preAuthentication. */
class CredentialStore {
	constructor() {
		this.records = new Map();
		this.updates = [];
	}
	add(id, type, data, name = `${type} ${id}`) {
		this.records.set(id, { id, name, type, data: { ...data } });
		return { [type]: { id, name } };
	}
	get(id) {
		const record = this.records.get(id);
		if (!record) throw new Error(`No credential with id ${id}`);
		return record;
	}
}

class TestCredentialsHelper extends ICredentialsHelper {
	constructor(store, credentialTypes) {
		super();
		this.store = store;
		this.types = new Map(credentialTypes.map((type) => [type.name, type]));
		this.preAuthenticationCalls = 0;
	}
	type(name) {
		const type = this.types.get(name);
		if (!type) throw new Error(`Unknown credential type ${name}`);
		return type;
	}
	getParentTypes(name) {
		return this.type(name).extends ?? [];
	}
	getCredentialsProperties(name) {
		return this.type(name).properties;
	}
	isCredentialUsableByNode() {
		return true;
	}
	async getCredentials(nodeCredentials, type) {
		const record = this.store.get(nodeCredentials.id);
		const credentials = new Credentials({ id: record.id, name: record.name }, type);
		credentials.setData(record.data);
		return credentials;
	}
	async getDecrypted(_additionalData, nodeCredentials, type) {
		const record = this.store.get(nodeCredentials.id);
		const data = {};
		for (const property of this.type(type).properties) {
			if (property.default !== undefined) data[property.name] = property.default;
		}
		// A fresh copy each time, as the CLI decrypts anew for every request.
		return Object.assign(data, structuredClone(record.data));
	}
	async updateCredentials(nodeCredentials, _type, data) {
		const record = this.store.get(nodeCredentials.id);
		record.data = structuredClone(data);
		this.store.updates.push({ id: record.id, at: Date.now() });
	}
	async updateCredentialsOauthTokenData(nodeCredentials, type, data) {
		await this.updateCredentials(nodeCredentials, type, data);
	}
	async runPreAuthentication(helpers, credentials, typeName, node, expired) {
		return await this.preAuthentication(helpers, credentials, typeName, node, expired);
	}
	async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
		const type = this.type(typeName);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable === true);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		const isCredentialTest = node.parameters?.temp === '';
		if (!isCredentialTest && credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthenticationCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const nodeCredentials = node.credentials?.[typeName];
		if (nodeCredentials) await this.updateCredentials(nodeCredentials, typeName, { ...credentials, ...output });
		return { ...credentials, ...output };
	}
	async authenticate(credentials, typeName, requestOptions, workflow, node) {
		const authenticate = this.type(typeName).authenticate;
		if (typeof authenticate === 'function') return await authenticate(credentials, requestOptions);
		if (!authenticate || authenticate.type !== 'generic') return requestOptions;
		const resolve = (value) =>
			workflow.expression.getSimpleParameterValue(node, value, 'internal', { $credentials: credentials }, undefined, '');
		for (const [section, values] of Object.entries(authenticate.properties)) {
			requestOptions[section] = { ...(requestOptions[section] ?? {}) };
			for (const [key, value] of Object.entries(values)) requestOptions[section][key] = resolve(value);
		}
		return requestOptions;
	}
}

/** A stand-in for n8n's manual trigger that emits the items given in its `items` parameter. */
class TestInput {
	constructor() {
		this.description = {
			displayName: 'Test Input',
			name: 'testInput',
			group: ['input'],
			version: 1,
			description: 'Emits fixed items',
			defaults: { name: 'Test Input' },
			inputs: ['main'],
			outputs: ['main'],
			properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[{}]' }],
		};
	}
	async execute() {
		const raw = this.getNodeParameter('items', 0);
		const items = typeof raw === 'string' ? JSON.parse(raw) : raw;
		return [items.map((json) => ({ json }))];
	}
}

function nodeTypesOf(types) {
	const byName = new Map(Object.entries({ testInput: new TestInput(), testAgent: new TestAgent(), ...types }));
	const lookup = (name) => {
		const key = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : name;
		let type = byName.get(key);
		// As n8n's CLI does: `<name>Tool` is the tool variant of a node that is usable as a tool.
		const base = !type && key.endsWith('Tool') ? byName.get(key.slice(0, -'Tool'.length)) : undefined;
		if (base?.description.usableAsTool) byName.set(key, (type = asAiTool(base)));
		if (!type) throw new Error(`Unknown node type ${name}`);
		return type;
	};
	return {
		getByName: lookup,
		getByNameAndVersion: lookup,
		getKnownTypes: () => ({}),
	};
}

function additionalDataFor(credentialsHelper, hooks) {
	return {
		credentialsHelper,
		hooks,
		executeWorkflow: async () => {
			throw new Error('Sub-workflows are not available in these tests');
		},
		getRunExecutionData: async () => undefined,
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		variables: {},
		logAiEvent: () => {},
		setExecutionStatus: () => {},
		startRunnerTask: async () => {
			throw new Error('Task runners are not available in these tests');
		},
	};
}

let executionCounter = 0;

/**
 * An n8n instance in miniature: node types, credential types and a credential store that outlives executions.
 * @param {{ nodeTypes: Record<string, object>, credentialTypes: object[] }} options
 */
function createEngine({ nodeTypes, credentialTypes }) {
	const store = new CredentialStore();
	const credentialsHelper = new TestCredentialsHelper(store, credentialTypes);
	const types = nodeTypesOf(nodeTypes);

	function workflowOf(nodes, connections, staticData, settings = {}) {
		return new Workflow({
			id: 'wf-1nce',
			name: '1NCE test workflow',
			nodes: nodes.map((node, index) => ({
				id: node.id ?? `node-${index}`,
				typeVersion: 1,
				position: [index * 200, 0],
				parameters: {},
				...node,
			})),
			connections: connections ?? {},
			active: false,
			nodeTypes: types,
			staticData,
			settings,
		});
	}

	/**
	 * Executes nodes in order (each feeding the next) and returns each node's output items.
	 * `settings` are the workflow's (an agent's tool calls need n8n's execution order 'v1'). `staticData`: the
	 * workflow's static data object, mutated as n8n would (a Code node's $getWorkflowStaticData), to keep between runs.
	 * @param {{ nodes: object[], connections?: object, settings?: object, staticData?: object }} definition
	 */
	async function run({ nodes, connections, settings = {}, staticData }) {
		const chain =
			connections ??
			Object.fromEntries(
				nodes.slice(0, -1).map((node, i) => [node.name, { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] }]),
			);
		const workflow = workflowOf(nodes, chain, staticData, settings);
		const executionId = `exec-${++executionCounter}`;
		const hooks = new ExecutionLifecycleHooks('manual', executionId, {
			id: workflow.id,
			name: workflow.name,
			nodes: nodes,
			connections: chain,
			active: false,
			settings: {},
			createdAt: new Date(),
			updatedAt: new Date(),
			isArchived: false,
		});
		const additionalData = additionalDataFor(credentialsHelper, hooks);
		additionalData.executionId = executionId;
		const done = createDeferredPromise();
		hooks.addHandler('workflowExecuteAfter', (fullRunData) => done.resolve(fullRunData));
		const execution = new WorkflowExecute(additionalData, 'manual');
		const runResult = await execution.run(workflow, workflow.getNode(nodes[0].name));
		const fullRun = runResult ?? (await done.promise);
		const runData = fullRun.data.resultData.runData;
		const outputOf = (name) => runData[name]?.[0]?.data?.main?.[0]?.map((item) => item) ?? [];
		return {
			error: fullRun.data.resultData.error,
			runData,
			items: (name) => outputOf(name),
			json: (name) => outputOf(name).map((item) => item.json),
			nodeError: (name) => runData[name]?.[0]?.error,
		};
	}

	/**
	 * Runs one poll of a polling trigger through a real PollContext.
	 * `staticData` is the workflow's static data object; it is mutated as n8n would. `nodeStaticData`, a plain
	 * object, is handed to the node instead, as n8n 2.x does with durable poll cursors. `workflowId` as n8n gives it.
	 */
	async function poll({ node, staticData = {}, mode = 'trigger', activation = 'init', workflowId, nodeStaticData }) {
		const workflow = workflowOf([node], {}, staticData);
		if (workflowId !== undefined) workflow.id = workflowId;
		if (nodeStaticData) workflow.setTestStaticData({ [`node:${node.name}`]: nodeStaticData });
		const hooks = new ExecutionLifecycleHooks(mode, `poll-${++executionCounter}`, {
			id: workflow.id,
			name: workflow.name,
			nodes: [node],
			connections: {},
			active: true,
			settings: {},
			createdAt: new Date(),
			updatedAt: new Date(),
			isArchived: false,
		});
		const additionalData = additionalDataFor(credentialsHelper, hooks);
		const workflowNode = workflow.getNode(node.name);
		const context = new PollContext(workflow, workflowNode, additionalData, mode, activation);
		const type = types.getByName(node.type);
		const result = await type.poll.call(context);
		return { result, staticData: workflow.staticData };
	}

	return { store, credentialsHelper, run, poll, workflowOf, shutdown: shutdownEngine };
}

module.exports = { createEngine, shutdownEngine, CredentialStore, TestCredentialsHelper };
