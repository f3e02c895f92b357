import { config } from '@n8n/node-cli/eslint';

// n8n's own community-node rules (the set the n8n-node CLI lints with) over the shipped code and package.json.
// Tests, scripts and the dev/ tooling (simulator, engine and real-n8n harnesses) are not shipped and run Node APIs those rules forbid in node code.
export default [{ ignores: ['test/**', 'dev/**', 'scripts/**', 'spec/**', 'bench/**', 'examples/**', '.cache/**', 'coverage/**', '*.js', '*.mjs'] }, ...config];
