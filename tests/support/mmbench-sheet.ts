// A VLMEvalKit-layout MMBench prediction sheet shared by the import and rescore tests: group 1
// (4 options, circular copies at index + k·10⁶) all right; group 2 (2 options: C and D are empty
// cells) has one wrong copy, so every MMBench profile scores it 50.0 (one of two circular groups).
export type SheetCell = string | number | null;

export const MMBENCH_SHEET_HEADER = ['index', 'question', 'hint', 'A', 'B', 'C', 'D', 'answer', 'category', 'l2-category', 'split', 'prediction'];

export const MMBENCH_SHEET_ROWS: SheetCell[][] = [
  [1, 'Which colour?', null, 'red', 'blue', 'green', 'black', 'A', 'attribute', 'perception', 'dev', 'A'],
  [1000001, 'Which colour?', null, 'blue', 'green', 'black', 'red', 'D', 'attribute', 'perception', 'dev', 'D'],
  [2000001, 'Which colour?', null, 'green', 'black', 'red', 'blue', 'C', 'attribute', 'perception', 'dev', 'C. red'],
  [3000001, 'Which colour?', null, 'black', 'red', 'blue', 'green', 'B', 'attribute', 'perception', 'dev', 'B'],
  [2, 'Is it a cat?', 'Look closely', 'yes', 'no', null, null, 'A', 'logic', 'reasoning', 'dev', 'A'],
  [1000002, 'Is it a cat?', 'Look closely', 'no', 'yes', null, null, 'B', 'logic', 'reasoning', 'dev', 'A'],
];
