// Plain entry point. n8n itself loads the node and credential files listed in package.json's "n8n" field.
module.exports = {
	credentials: { OnceApi: () => require('./dist/credentials/OnceApi.credentials').OnceApi },
	nodes: {
		Once: () => require('./dist/nodes/Once/Once.node').Once,
		OnceTrigger: () => require('./dist/nodes/Once/OnceTrigger.node').OnceTrigger,
	},
};
