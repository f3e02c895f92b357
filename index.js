// Plain entry point. n8n itself loads the node and credential files listed in package.json's "n8n" field.
module.exports = {
	credentials: { OneNceApi: () => require('./dist/credentials/OneNceApi.credentials').OneNceApi },
	nodes: {
		OneNce: () => require('./dist/nodes/OneNce/OneNce.node').OneNce,
		OneNceTrigger: () => require('./dist/nodes/OneNce/OneNceTrigger.node').OneNceTrigger,
	},
};
