// Runs a list-search method of the 1NCE node as n8n's editor does: through a real LoadOptionsContext of n8n-core.
import { OneNce } from '../../nodes/OneNce/OneNce.node';

const { LoadOptionsContext } = require('n8n-core');

export async function searchList(engine: any, credentials: object, method: string, filter?: string) {
	const workflow = engine.workflowOf([
		{
			name: '1NCE',
			type: 'n8n-nodes-1nce.oneNce',
			parameters: { resource: 'order', operation: 'create' },
			credentials,
		},
	]);
	const node = workflow.getNode('1NCE');
	const additionalData = { credentialsHelper: engine.credentialsHelper, variables: {}, restApiUrl: 'http://127.0.0.1/rest' };
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.products');
	const search = (new OneNce().methods.listSearch as Record<string, (this: unknown, filter?: string) => Promise<any>>)[method];
	return await search.call(context, filter);
}
