// The package's plain entry point (require("n8n-nodes-1nce")); n8n itself loads the files in package.json's "n8n" field.
module.exports = {
	credentials: { OneNceApi: () => require('./dist/credentials/OneNceApi.credentials').OneNceApi },
	nodes: {
		OneNce: () => require('./dist/nodes/OneNce/OneNce.node').OneNce,
		OneNceTrigger: () => require('./dist/nodes/OneNce/OneNceTrigger.node').OneNceTrigger,
	},
};
