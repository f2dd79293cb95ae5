// MMMU's `options` field: a Python list literal in the HF data, parsed as the references parse it.
import { PyError, pyLiteralList } from '../../metrics/py.js';

/**
 * `ast.literal_eval(doc["options"])` (lmms-eval) / `eval(sample["options"])` (MMMU official) for
 * the values MMMU holds: a list of strings (`"[]"` for open questions). Anything else is a data
 * error, raised as Python would raise it (ValueError).
 */
export function parseMmmuOptions(literal: string): string[] {
  const parsed = pyLiteralList(literal);
  if (parsed === undefined) throw new PyError('ValueError', `MMMU options is not a Python list literal: ${JSON.stringify(literal)}`);
  return parsed.map((option, i) => {
    if (typeof option !== 'string') {
      throw new PyError('ValueError', `MMMU option ${i} is not a string in ${JSON.stringify(literal)}`);
    }
    return option;
  });
}
