// Recognises MM-Vet evaluator files by name (without loading the import reader).
import { basename } from 'node:path';

/** MM-Vet's evaluator score sheet, `<model>_<judge>-cap-score-<N>runs.csv`. */
export function isMmvetCapScoreFile(file: string): boolean {
  return /-cap-score-\d+runs\.csv$/i.test(basename(file));
}
