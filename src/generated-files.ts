/** Files of the repository generated from descriptions in src/ (by `npm run gen`), by path. */
import { renderCliDoc } from './cli/reference.js';
import { renderConfigSchema } from './config/config-shape.js';
import { renderErrorsDoc } from './error-catalogue.js';

export const GENERATED: Record<string, () => string> = {
  'docs/errors.md': renderErrorsDoc,
  'docs/cli.md': renderCliDoc,
  'schemas/config.schema.json': renderConfigSchema,
};
